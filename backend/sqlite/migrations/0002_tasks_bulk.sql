-- 要返金(口座): refunds the shop must make by bank transfer because the card company's
-- window has passed or the customer paid at a store.
CREATE TABLE refund_tasks (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    payment_id INTEGER REFERENCES payments(id) ON DELETE CASCADE,
    amount     INTEGER NOT NULL,
    reason     TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'open', -- open = 未対応, done = 返金済
    operator   TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    done_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refund_tasks_status ON refund_tasks(status, created_at);

-- Bulk runs: one row per run, one item per selected payment with its outcome.
CREATE TABLE bulk_jobs (
    id          INTEGER PRIMARY KEY,
    intent      TEXT    NOT NULL,           -- capture, cancel, …
    operator    TEXT    NOT NULL DEFAULT '',
    state       TEXT    NOT NULL,           -- running, finished, cancelled
    created_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE bulk_items (
    id           INTEGER PRIMARY KEY,
    job_id       INTEGER NOT NULL REFERENCES bulk_jobs(id) ON DELETE CASCADE,
    payment_id   INTEGER NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
    state        TEXT    NOT NULL,          -- queued, succeeded, failed, skipped, cancelled, unknown
    operation_id INTEGER NOT NULL DEFAULT 0,
    message      TEXT    NOT NULL DEFAULT '',
    updated_at   INTEGER NOT NULL,
    UNIQUE (job_id, payment_id)
);
CREATE INDEX bulk_items_job ON bulk_items(job_id, state);
