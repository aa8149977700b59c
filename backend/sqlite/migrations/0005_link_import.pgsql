-- Twin of 0005_link_import.sql.
ALTER TABLE orders ADD COLUMN tax             BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN zip             TEXT   NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN address         TEXT   NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_name       TEXT   NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_zip        TEXT   NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_address    TEXT   NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_tel        TEXT   NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN delivery_method TEXT   NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN tracking_no     TEXT   NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN shop_status     TEXT   NOT NULL DEFAULT '';

ALTER TABLE payments ADD COLUMN tax          BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN processed_at BIGINT NOT NULL DEFAULT 0;

ALTER TABLE gateway_profiles ADD COLUMN link_rule TEXT NOT NULL DEFAULT '';

CREATE TABLE order_links (
    order_id         BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    status           TEXT   NOT NULL,
    profile_id       BIGINT NOT NULL DEFAULT 0,
    gateway_order_id TEXT   NOT NULL DEFAULT '',
    hint_tran_id     TEXT   NOT NULL DEFAULT '',
    hint_tran_pass   TEXT   NOT NULL DEFAULT '',
    hint_profile_id  BIGINT NOT NULL DEFAULT 0,
    reason           TEXT   NOT NULL DEFAULT '',
    reason_en        TEXT   NOT NULL DEFAULT '',
    candidates       TEXT   NOT NULL DEFAULT '',
    updated_at       BIGINT NOT NULL
);
CREATE INDEX order_links_status ON order_links(status, order_id);
