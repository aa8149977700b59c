-- Who did what (issue 18: several operators on several PCs share one database): every
-- journal entry and every order event names the PC it was made on (its hostname) beside
-- the operator. Entries made before keep '' (the history shows the operator alone).
ALTER TABLE operations ADD COLUMN pc TEXT NOT NULL DEFAULT '';
ALTER TABLE order_events ADD COLUMN pc TEXT NOT NULL DEFAULT '';
