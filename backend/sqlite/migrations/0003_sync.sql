-- Differences between our state of a payment and the gateway's, found by the sync;
-- each is fixed by the operator in one direction or the other.
CREATE TABLE drifts (
    payment_id    INTEGER PRIMARY KEY REFERENCES payments(id) ON DELETE CASCADE,
    found_at      INTEGER NOT NULL,
    our_state     TEXT    NOT NULL,
    gateway_state TEXT    NOT NULL,
    our_amount    INTEGER NOT NULL,
    gateway_amount INTEGER NOT NULL,
    raw_status    TEXT    NOT NULL DEFAULT '',
    detail        TEXT    NOT NULL DEFAULT ''
);

-- The sync's view of each gateway profile: last success, offline since, back-off.
CREATE TABLE sync_status (
    profile_id     INTEGER PRIMARY KEY REFERENCES gateway_profiles(id) ON DELETE CASCADE,
    last_success   INTEGER NOT NULL DEFAULT 0,
    last_attempt   INTEGER NOT NULL DEFAULT 0,
    offline_since  INTEGER NOT NULL DEFAULT 0,
    failures       INTEGER NOT NULL DEFAULT 0,
    next_attempt   INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT    NOT NULL DEFAULT '',
    cursor         TEXT    NOT NULL DEFAULT '' -- difference-inquiry cursor (Paygent 091 notice ids)
);
