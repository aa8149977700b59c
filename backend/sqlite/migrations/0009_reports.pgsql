-- Twin of 0009_reports.sql: the 売上集計 indexes (INCLUDE keeps the summed columns
-- beside the key for index-only scans) and the fee per operation kind.
CREATE INDEX payments_card_sales ON payments(captured_at) INCLUDE (profile_id, method, state, amount_captured, amount_refunded)
    WHERE method = 'card' AND captured_at > 0;
CREATE INDEX payments_deposit_sales ON payments(paid_at) INCLUDE (profile_id, method, state, amount_captured, amount_authorized, amount_refunded)
    WHERE method <> 'card' AND paid_at > 0;
CREATE INDEX payments_order_sales ON payments(order_id) INCLUDE (method, state, profile_id, captured_at, paid_at, amount_captured, amount_authorized, amount_refunded);
DROP INDEX payments_order;
CREATE INDEX payments_state_deadline ON payments(state, payment_deadline);

CREATE TABLE gateway_fees (
    profile_id BIGINT NOT NULL REFERENCES gateway_profiles(id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL,
    fee        BIGINT NOT NULL,
    PRIMARY KEY (profile_id, kind)
);
