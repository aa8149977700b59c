-- 売上集計 (issue 16): the sales of a period are read from these indexes alone. A card
-- payment counts on the day it was captured, a konbini / Pay-easy / net-bank payment
-- on the day it was paid; each index holds every column the report sums.
CREATE INDEX payments_card_sales ON payments(captured_at, profile_id, method, state, amount_captured, amount_refunded)
    WHERE method = 'card' AND captured_at > 0;
CREATE INDEX payments_deposit_sales ON payments(paid_at, profile_id, method, state, amount_captured, amount_authorized, amount_refunded)
    WHERE method <> 'card' AND paid_at > 0;
-- By order date: each order's payments with the summed columns, read from the index
-- alone; it replaces the plain index on order_id (the same look-ups use it).
CREATE INDEX payments_order_sales ON payments(order_id, method, state, profile_id, captured_at, paid_at, amount_captured, amount_authorized, amount_refunded);
DROP INDEX payments_order;
-- Deposits awaited, by deadline.
CREATE INDEX payments_state_deadline ON payments(state, payment_deadline);

-- The fee a gateway charges per operation kind (Paygent: 10 yen per 売上 / 取消
-- telegram), entered per profile; a kind without a row costs the profile's
-- fee_per_operation.
CREATE TABLE gateway_fees (
    profile_id INTEGER NOT NULL REFERENCES gateway_profiles(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    fee        INTEGER NOT NULL,
    PRIMARY KEY (profile_id, kind)
) WITHOUT ROWID;
