-- Twin of 0019_payment_version.sql: a payment's version, one more at every change of
-- its row, and the version each operation was planned from (BeginOperation refuses an
-- operation planned from an older version).
ALTER TABLE payments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE operations ADD COLUMN payment_version BIGINT NOT NULL DEFAULT 0;
