-- Twin of 0013_who_did_what.sql: the PC (hostname) beside the operator in the journal
-- and the order events.
ALTER TABLE operations ADD COLUMN pc TEXT NOT NULL DEFAULT '';
ALTER TABLE order_events ADD COLUMN pc TEXT NOT NULL DEFAULT '';
