-- The journal's outcome in English beside the Japanese: an English window shows the
-- gateway's own reason instead of a summary made from the state. Older entries keep ''
-- (the window then shows that summary).
ALTER TABLE operations ADD COLUMN message_en TEXT NOT NULL DEFAULT '';
