-- Kessai Desk schema v1. Times are Unix milliseconds (UTC); money is integer yen.

CREATE TABLE gateway_profiles (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE,
    kind              TEXT    NOT NULL,
    demo              INTEGER NOT NULL DEFAULT 0,
    environment       TEXT    NOT NULL,
    host              TEXT    NOT NULL DEFAULT '',
    merchant_id       TEXT    NOT NULL DEFAULT '',
    sub_id            TEXT    NOT NULL DEFAULT '',
    methods           TEXT    NOT NULL DEFAULT '',
    auth_expiry_days  INTEGER NOT NULL,
    fee_per_operation INTEGER NOT NULL DEFAULT 0,
    auto_capture      INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    order_no       TEXT    NOT NULL UNIQUE,
    order_no_num   INTEGER,              -- the order number as a number, for range search; NULL if not numeric
    ordered_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    customer_name  TEXT    NOT NULL DEFAULT '',
    customer_kana  TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    tel            TEXT    NOT NULL DEFAULT '',
    payment_method TEXT    NOT NULL,
    subtotal       INTEGER NOT NULL DEFAULT 0,
    discount       INTEGER NOT NULL DEFAULT 0,
    shipping       INTEGER NOT NULL DEFAULT 0,
    fee            INTEGER NOT NULL DEFAULT 0,
    points_used    INTEGER NOT NULL DEFAULT 0,
    total          INTEGER NOT NULL,
    status         TEXT    NOT NULL,
    memo           TEXT    NOT NULL DEFAULT '',
    source         TEXT    NOT NULL DEFAULT '',
    -- normalised name, kana, e-mail and telephone digits (see search.go), checked row by
    -- row when a search matches so many orders that scanning in display order is faster
    name_n         TEXT    NOT NULL DEFAULT '',
    kana_n         TEXT    NOT NULL DEFAULT '',
    email_n        TEXT    NOT NULL DEFAULT '',
    tel_n          TEXT    NOT NULL DEFAULT '',
    -- the order's main payment, denormalised so the 受注一覧 can filter and show it
    payment_id     INTEGER,
    payment_state  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX orders_ordered        ON orders(ordered_at);
CREATE INDEX orders_updated        ON orders(updated_at);
CREATE INDEX orders_status_ordered ON orders(status, ordered_at);
CREATE INDEX orders_method_ordered ON orders(payment_method, ordered_at);
CREATE INDEX orders_pstate_ordered ON orders(payment_state, ordered_at);
CREATE INDEX orders_total          ON orders(total);
CREATE INDEX orders_no_num         ON orders(order_no_num);
CREATE INDEX orders_source         ON orders(source);

-- Distinct products, so a product search scans a few thousand names, not every line item.
CREATE TABLE products (
    id     INTEGER PRIMARY KEY,
    code   TEXT NOT NULL,
    name   TEXT NOT NULL,
    search TEXT NOT NULL, -- normalised code + name
    UNIQUE (code, name)
);

CREATE TABLE order_items (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,
    product_id   INTEGER NOT NULL REFERENCES products(id),
    product_code TEXT    NOT NULL DEFAULT '',
    product_name TEXT    NOT NULL DEFAULT '',
    variant      TEXT    NOT NULL DEFAULT '',
    unit_price   INTEGER NOT NULL,
    quantity     INTEGER NOT NULL
);
CREATE INDEX order_items_order   ON order_items(order_id);
CREATE INDEX order_items_product ON order_items(product_id, order_id);

-- Japanese substring search: each column holds the n-grams of the normalised text
-- (bigrams for names and kana, trigrams for e-mail and telephone digits, whose small
-- alphabets make bigrams unselective), plus its shorter tails with an end marker, as
-- space-separated tokens. Queries up to n characters are exact index lookups; longer
-- ones are verified on orders.*_n. docid = orders.id.
CREATE VIRTUAL TABLE order_text USING fts4(name_g, kana_g, email_g, tel_g, tokenize=simple);

CREATE TABLE payments (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    profile_id        INTEGER REFERENCES gateway_profiles(id),
    gateway           TEXT    NOT NULL DEFAULT '',
    method            TEXT    NOT NULL,
    gw_order_id       TEXT    NOT NULL DEFAULT '',
    gw_tran_id        TEXT    NOT NULL DEFAULT '',
    gw_tran_pass      TEXT    NOT NULL DEFAULT '',
    state             TEXT    NOT NULL,
    amount_authorized INTEGER NOT NULL DEFAULT 0,
    amount_captured   INTEGER NOT NULL DEFAULT 0,
    amount_refunded   INTEGER NOT NULL DEFAULT 0,
    authorized_at     INTEGER NOT NULL DEFAULT 0,
    captured_at       INTEGER NOT NULL DEFAULT 0,
    auth_expires_at   INTEGER NOT NULL DEFAULT 0,
    payment_deadline  INTEGER NOT NULL DEFAULT 0,
    paid_at           INTEGER NOT NULL DEFAULT 0,
    raw_status        TEXT    NOT NULL DEFAULT '',
    last_synced_at    INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX payments_order         ON payments(order_id);
CREATE INDEX payments_state_expiry  ON payments(state, auth_expires_at);
CREATE INDEX payments_profile_state ON payments(profile_id, state);
CREATE UNIQUE INDEX payments_gateway_order ON payments(ifnull(profile_id, 0), gw_order_id) WHERE gw_order_id <> '';

-- The journal. A row is committed before any request is sent.
CREATE TABLE operations (
    id              INTEGER PRIMARY KEY,
    payment_id      INTEGER NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
    intent          TEXT    NOT NULL DEFAULT '', -- what the operator asked for (capture, cancel, change_amount…)
    kind            TEXT    NOT NULL,            -- the gateway operation chosen for it
    amount          INTEGER NOT NULL DEFAULT 0,
    capture_now     INTEGER NOT NULL DEFAULT 0,  -- 金額変更/再オーソリ as 即時売上
    idempotency_key TEXT    NOT NULL UNIQUE,
    state           TEXT    NOT NULL,
    requested_at    INTEGER NOT NULL,
    sent_at         INTEGER NOT NULL DEFAULT 0,
    responded_at    INTEGER NOT NULL DEFAULT 0,
    gateway_code    TEXT    NOT NULL DEFAULT '',
    message         TEXT    NOT NULL DEFAULT '',
    operator        TEXT    NOT NULL DEFAULT '',
    before_state    TEXT    NOT NULL DEFAULT '',
    after_state     TEXT    NOT NULL DEFAULT '',
    reason          TEXT    NOT NULL DEFAULT '',
    bulk_job_id     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX operations_payment ON operations(payment_id, id);
CREATE INDEX operations_requested ON operations(requested_at);
-- At most one unresolved operation per payment: the database itself refuses a second.
CREATE UNIQUE INDEX operations_one_in_flight ON operations(payment_id)
    WHERE state IN ('pending', 'sent', 'unknown');

-- Changes of an order's 対応状況 and other order-level events, for the audit trail.
CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    at       INTEGER NOT NULL,
    actor    TEXT    NOT NULL DEFAULT '',
    kind     TEXT    NOT NULL,
    detail   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order ON order_events(order_id, id);

-- キャンセル受注 在庫管理: items of cancelled orders whose stock must go back.
CREATE TABLE cancel_stock (
    id            INTEGER PRIMARY KEY,
    order_item_id INTEGER NOT NULL UNIQUE REFERENCES order_items(id) ON DELETE CASCADE,
    order_id      INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    status        TEXT    NOT NULL DEFAULT 'pending', -- pending = 未対応, returned = 在庫戻し済
    created_at    INTEGER NOT NULL,
    returned_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cancel_stock_status ON cancel_stock(status, created_at);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
