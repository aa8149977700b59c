-- Twin of 0007_shipping_holds.sql.
CREATE TABLE shipping_holds (
    payment_id    BIGINT PRIMARY KEY REFERENCES payments(id) ON DELETE CASCADE,
    order_id      BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    found_at      BIGINT NOT NULL,
    gateway_state TEXT   NOT NULL,
    detail        TEXT   NOT NULL DEFAULT '',
    kept_at       BIGINT NOT NULL DEFAULT 0,
    kept_by       TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX shipping_holds_order ON shipping_holds(order_id);

CREATE INDEX payments_profile_synced ON payments(profile_id, last_synced_at);
