-- Paygent (issue 12): the contract's sales-cancel window per profile, and payments
-- whose transaction the gateway cannot tell among several (13002) until the operator
-- chooses.

-- 売上取消の期限: counted from the sale ('sale'; '' = the usual) or from the
-- authorisation ('auth'), for so many days (0 = the usual 60).
ALTER TABLE gateway_profiles ADD COLUMN sales_cancel_from TEXT    NOT NULL DEFAULT '';
ALTER TABLE gateway_profiles ADD COLUMN sales_cancel_days INTEGER NOT NULL DEFAULT 0;

-- Every gateway id a payment has had (a Paygent 補正 makes a new payment_id, an SBPS
-- re-authorisation a new tracking_id): candidates when the gateway cannot say which
-- of its transactions is the payment's current one.
CREATE TABLE payment_tran_ids (
    payment_id INTEGER NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
    tran_id    TEXT    NOT NULL,
    seen_at    INTEGER NOT NULL,
    PRIMARY KEY (payment_id, tran_id)
) WITHOUT ROWID;
INSERT INTO payment_tran_ids (payment_id, tran_id, seen_at)
    SELECT id, gw_tran_id, updated_at FROM payments WHERE gw_tran_id <> '';

-- A payment 要確認 because its gateway holds several transactions under its id and
-- cannot say which is current (Paygent 13002): the candidates, each checked by its
-- own id, until the operator chooses. A row lives only while its payment is 要確認.
CREATE TABLE payment_reviews (
    payment_id   INTEGER PRIMARY KEY REFERENCES payments(id) ON DELETE CASCADE,
    operation_id INTEGER NOT NULL DEFAULT 0, -- the unknown operation the choice settles; 0 = none
    found_at     INTEGER NOT NULL,
    candidates   TEXT    NOT NULL DEFAULT '' -- JSON []backend.Transaction
);
