-- The numbers a customer pays a konbini / Pay-easy payment with (issue 15): the 受注詳細
-- shows them to the operator who answers the customer's call.
ALTER TABLE payments ADD COLUMN slip_store TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN slip_receipt_no TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN slip_conf_no TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN slip_bk_code TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN slip_cust_id TEXT NOT NULL DEFAULT '';
