-- Twin of 0012_operation_message_en.sql: the journal's outcome in English.
ALTER TABLE operations ADD COLUMN message_en TEXT NOT NULL DEFAULT '';
