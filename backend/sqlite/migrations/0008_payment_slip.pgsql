-- Twin of 0008_payment_slip.sql.
ALTER TABLE payments ADD COLUMN slip_store TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN slip_receipt_no TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN slip_conf_no TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN slip_bk_code TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN slip_cust_id TEXT NOT NULL DEFAULT '';
