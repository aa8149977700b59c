-- Twin of 0006_paygent_review.sql.
ALTER TABLE gateway_profiles ADD COLUMN sales_cancel_from TEXT    NOT NULL DEFAULT '';
ALTER TABLE gateway_profiles ADD COLUMN sales_cancel_days INTEGER NOT NULL DEFAULT 0;

CREATE TABLE payment_tran_ids (
    payment_id BIGINT NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
    tran_id    TEXT   NOT NULL,
    seen_at    BIGINT NOT NULL,
    PRIMARY KEY (payment_id, tran_id)
);
INSERT INTO payment_tran_ids (payment_id, tran_id, seen_at)
    SELECT id, gw_tran_id, updated_at FROM payments WHERE gw_tran_id <> '';

CREATE TABLE payment_reviews (
    payment_id   BIGINT PRIMARY KEY REFERENCES payments(id) ON DELETE CASCADE,
    operation_id BIGINT NOT NULL DEFAULT 0,
    found_at     BIGINT NOT NULL,
    candidates   TEXT   NOT NULL DEFAULT ''
);
