-- Twin of 0003_sync.sql.
CREATE TABLE drifts (
    payment_id     BIGINT PRIMARY KEY REFERENCES payments(id) ON DELETE CASCADE,
    found_at       BIGINT NOT NULL,
    our_state      TEXT   NOT NULL,
    gateway_state  TEXT   NOT NULL,
    our_amount     BIGINT NOT NULL,
    gateway_amount BIGINT NOT NULL,
    raw_status     TEXT   NOT NULL DEFAULT '',
    detail         TEXT   NOT NULL DEFAULT ''
);

CREATE TABLE sync_status (
    profile_id     BIGINT  PRIMARY KEY REFERENCES gateway_profiles(id) ON DELETE CASCADE,
    last_success   BIGINT  NOT NULL DEFAULT 0,
    last_attempt   BIGINT  NOT NULL DEFAULT 0,
    offline_since  BIGINT  NOT NULL DEFAULT 0,
    failures       INTEGER NOT NULL DEFAULT 0,
    next_attempt   BIGINT  NOT NULL DEFAULT 0,
    last_error     TEXT    NOT NULL DEFAULT '',
    cursor         TEXT    NOT NULL DEFAULT ''
);
