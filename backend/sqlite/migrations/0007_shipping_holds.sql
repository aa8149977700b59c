-- 出荷を止める (issue 12): orders whose payment was cancelled or refunded at the gateway
-- (in its console, behind the app's back) before they were shipped. One row per
-- payment; the operator cancels the order or keeps it (kept_at). A kept row lives as
-- long as its difference (drifts) so the same change is not announced twice.
CREATE TABLE shipping_holds (
    payment_id    INTEGER PRIMARY KEY REFERENCES payments(id) ON DELETE CASCADE,
    order_id      INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    found_at      INTEGER NOT NULL,
    gateway_state TEXT    NOT NULL,
    detail        TEXT    NOT NULL DEFAULT '',
    kept_at       INTEGER NOT NULL DEFAULT 0,
    kept_by       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX shipping_holds_order ON shipping_holds(order_id);

-- The sync's rotation: payments least recently compared with their gateway first.
CREATE INDEX payments_profile_synced ON payments(profile_id, last_synced_at);
