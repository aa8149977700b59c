-- A payment's version: one more at every change of its row (a save, an operation's
-- outcome, a sync's fix). An operation records the version it was planned from
-- (operations.payment_version), and BeginOperation refuses it when the payment has
-- changed since: two desktops (or two windows) that planned from the same state do
-- not both send. Existing payments start at 1; entries made before keep 0 (unchecked).
ALTER TABLE payments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE operations ADD COLUMN payment_version INTEGER NOT NULL DEFAULT 0;
