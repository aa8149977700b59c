-- A real shop's path: back-office CSV imports (delivery fields, the back office's own
-- status word), payments linked to the gateway's transactions (tax, processing date),
-- per-profile rules that form the gateway's id, and each order's link state.

ALTER TABLE orders ADD COLUMN tax             INTEGER NOT NULL DEFAULT 0; -- 外税
ALTER TABLE orders ADD COLUMN zip             TEXT    NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN address         TEXT    NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_name       TEXT    NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_zip        TEXT    NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_address    TEXT    NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_tel        TEXT    NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN delivery_method TEXT    NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN tracking_no     TEXT    NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN shop_status     TEXT    NOT NULL DEFAULT ''; -- the back office's word at the last import

ALTER TABLE payments ADD COLUMN tax          INTEGER NOT NULL DEFAULT 0; -- GMO Tax (税送料), included in the amounts
ALTER TABLE payments ADD COLUMN processed_at INTEGER NOT NULL DEFAULT 0; -- the gateway's latest processing date

ALTER TABLE gateway_profiles ADD COLUMN link_rule TEXT NOT NULL DEFAULT ''; -- JSON backend.LinkRule

-- Where linking each order to its gateway transaction stands (the 未連携 work list).
CREATE TABLE order_links (
    order_id         INTEGER PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    status           TEXT    NOT NULL,
    profile_id       INTEGER NOT NULL DEFAULT 0,
    gateway_order_id TEXT    NOT NULL DEFAULT '', -- the id asked for, or the hint a CSV column gave
    hint_tran_id     TEXT    NOT NULL DEFAULT '', -- ids a CSV column gave (AccessID, tracking_id, payment_id)
    hint_tran_pass   TEXT    NOT NULL DEFAULT '',
    hint_profile_id  INTEGER NOT NULL DEFAULT 0,
    reason           TEXT    NOT NULL DEFAULT '',
    reason_en        TEXT    NOT NULL DEFAULT '',
    candidates       TEXT    NOT NULL DEFAULT '', -- JSON []backend.Transaction
    updated_at       INTEGER NOT NULL
);
CREATE INDEX order_links_status ON order_links(status, order_id);
