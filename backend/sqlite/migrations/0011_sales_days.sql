-- 売上集計 (issue 16) on 1,000,000 orders within 200 ms: the sales of each JST day,
-- profile and method, by sale date and by order date, kept in sales_days by triggers on
-- payments and orders, so whatever writes a payment (an operation, the sync, an
-- import, a link, a demo deleted) moves the summary in the same statement and it can
-- never drift. The report reads whole days here and only a period's partial first
-- or last day from the base tables (through payment_sales).

-- What each sold payment counts for, by basis: 'sale' on the day a card was captured
-- or a konbini / Pay-easy / net-bank payment was paid, 'ordered' on its order's 注文日.
-- gross is what was captured or paid (a deposit the gateway reports without a captured
-- amount was paid what was asked); refunded is what was given back of it: a refund, a
-- partial refund, a cancel after the sale — everything when the payment no longer
-- stands (取消, 返品, expired, authorised again after a return).
-- The one definition of a sale: the triggers, the build below and the report's
-- partial days all read it. Each branch's conditions imply a 0009 sales index's WHERE.
CREATE VIEW payment_sales AS
SELECT 'sale' AS basis, p.captured_at AS at, (p.captured_at + 32400000) / 86400000 AS day,
       p.id AS payment_id, p.order_id, ifnull(p.profile_id, 0) AS profile_id, p.method,
       p.amount_captured AS gross,
       CASE WHEN p.state IN ('captured', 'partially_refunded', 'deposited', 'needs_review', 'subscription_reported')
            THEN min(p.amount_refunded, p.amount_captured) ELSE p.amount_captured END AS refunded
  FROM payments p WHERE p.method = 'card' AND p.captured_at > 0
UNION ALL
SELECT 'sale', p.paid_at, (p.paid_at + 32400000) / 86400000,
       p.id, p.order_id, ifnull(p.profile_id, 0), p.method,
       CASE WHEN p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END,
       CASE WHEN p.state IN ('captured', 'partially_refunded', 'deposited', 'needs_review', 'subscription_reported')
            THEN min(p.amount_refunded, CASE WHEN p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END)
            ELSE CASE WHEN p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END END
  FROM payments p WHERE p.method <> 'card' AND p.paid_at > 0
UNION ALL
SELECT 'ordered', o.ordered_at, (o.ordered_at + 32400000) / 86400000,
       p.id, p.order_id, ifnull(p.profile_id, 0), p.method,
       CASE WHEN p.method = 'card' OR p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END,
       CASE WHEN p.state IN ('captured', 'partially_refunded', 'deposited', 'needs_review', 'subscription_reported')
            THEN min(p.amount_refunded, CASE WHEN p.method = 'card' OR p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END)
            ELSE CASE WHEN p.method = 'card' OR p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END END
  FROM payments p JOIN orders o ON o.id = p.order_id
 WHERE (p.method = 'card' AND p.captured_at > 0) OR (p.method <> 'card' AND p.paid_at > 0);

-- One row per basis, JST day (days since 1970-01-01 JST), profile (0 = none) and
-- method with at least one sale; a row whose last sale leaves is deleted.
CREATE TABLE sales_days (
    basis      TEXT    NOT NULL, -- 'sale' or 'ordered'
    day        INTEGER NOT NULL,
    profile_id INTEGER NOT NULL,
    method     TEXT    NOT NULL,
    sold       INTEGER NOT NULL, -- payments sold
    gross      INTEGER NOT NULL,
    refunded   INTEGER NOT NULL,
    PRIMARY KEY (basis, day, profile_id, method)
) WITHOUT ROWID;

INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
SELECT basis, day, profile_id, method, count(*), sum(gross), sum(refunded) FROM payment_sales GROUP BY 1, 2, 3, 4;

CREATE TRIGGER sales_days_empty AFTER UPDATE OF sold ON sales_days WHEN NEW.sold = 0 BEGIN
    DELETE FROM sales_days WHERE basis = NEW.basis AND day = NEW.day AND profile_id = NEW.profile_id AND method = NEW.method;
END;

-- A payment's old figures leave before a change (the row still as it was) and its new
-- figures come after; only a change of a column the sales read moves anything (the
-- sync rewrites every column of a payment it compares).
CREATE TRIGGER payments_sales_insert AFTER INSERT ON payments BEGIN
    INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
    SELECT basis, day, profile_id, method, 1, gross, refunded FROM payment_sales WHERE payment_id = NEW.id
    ON CONFLICT DO UPDATE SET sold = sold + excluded.sold, gross = gross + excluded.gross, refunded = refunded + excluded.refunded;
END;

-- A payment deleted with its order (ON DELETE CASCADE) is deleted after the order: its
-- 'ordered' figures left with the order (orders_sales_delete), and the join in
-- payment_sales finds no order here, so they do not leave twice.
CREATE TRIGGER payments_sales_delete BEFORE DELETE ON payments BEGIN
    INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
    SELECT basis, day, profile_id, method, -1, -gross, -refunded FROM payment_sales WHERE payment_id = OLD.id
    ON CONFLICT DO UPDATE SET sold = sold + excluded.sold, gross = gross + excluded.gross, refunded = refunded + excluded.refunded;
END;

CREATE TRIGGER payments_sales_update_old BEFORE UPDATE OF id, order_id, profile_id, method, state, amount_authorized, amount_captured,
    amount_refunded, captured_at, paid_at ON payments
    WHEN OLD.id IS NOT NEW.id OR OLD.order_id IS NOT NEW.order_id OR OLD.profile_id IS NOT NEW.profile_id OR OLD.method IS NOT NEW.method
      OR OLD.state IS NOT NEW.state OR OLD.amount_authorized IS NOT NEW.amount_authorized OR OLD.amount_captured IS NOT NEW.amount_captured
      OR OLD.amount_refunded IS NOT NEW.amount_refunded OR OLD.captured_at IS NOT NEW.captured_at OR OLD.paid_at IS NOT NEW.paid_at
BEGIN
    INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
    SELECT basis, day, profile_id, method, -1, -gross, -refunded FROM payment_sales WHERE payment_id = OLD.id
    ON CONFLICT DO UPDATE SET sold = sold + excluded.sold, gross = gross + excluded.gross, refunded = refunded + excluded.refunded;
END;

CREATE TRIGGER payments_sales_update_new AFTER UPDATE OF id, order_id, profile_id, method, state, amount_authorized, amount_captured,
    amount_refunded, captured_at, paid_at ON payments
    WHEN OLD.id IS NOT NEW.id OR OLD.order_id IS NOT NEW.order_id OR OLD.profile_id IS NOT NEW.profile_id OR OLD.method IS NOT NEW.method
      OR OLD.state IS NOT NEW.state OR OLD.amount_authorized IS NOT NEW.amount_authorized OR OLD.amount_captured IS NOT NEW.amount_captured
      OR OLD.amount_refunded IS NOT NEW.amount_refunded OR OLD.captured_at IS NOT NEW.captured_at OR OLD.paid_at IS NOT NEW.paid_at
BEGIN
    INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
    SELECT basis, day, profile_id, method, 1, gross, refunded FROM payment_sales WHERE payment_id = NEW.id
    ON CONFLICT DO UPDATE SET sold = sold + excluded.sold, gross = gross + excluded.gross, refunded = refunded + excluded.refunded;
END;

-- The 'ordered' figures follow the order: its 注文日 changed by a re-import, the order
-- deleted (before its payments go), an order stored after payments that name it.
CREATE TRIGGER orders_sales_insert AFTER INSERT ON orders BEGIN
    INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
    SELECT basis, day, profile_id, method, 1, gross, refunded FROM payment_sales WHERE basis = 'ordered' AND order_id = NEW.id
    ON CONFLICT DO UPDATE SET sold = sold + excluded.sold, gross = gross + excluded.gross, refunded = refunded + excluded.refunded;
END;

CREATE TRIGGER orders_sales_delete BEFORE DELETE ON orders BEGIN
    INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
    SELECT basis, day, profile_id, method, -1, -gross, -refunded FROM payment_sales WHERE basis = 'ordered' AND order_id = OLD.id
    ON CONFLICT DO UPDATE SET sold = sold + excluded.sold, gross = gross + excluded.gross, refunded = refunded + excluded.refunded;
END;

CREATE TRIGGER orders_sales_update_old BEFORE UPDATE OF id, ordered_at ON orders
    WHEN OLD.id IS NOT NEW.id OR OLD.ordered_at IS NOT NEW.ordered_at
BEGIN
    INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
    SELECT basis, day, profile_id, method, -1, -gross, -refunded FROM payment_sales WHERE basis = 'ordered' AND order_id = OLD.id
    ON CONFLICT DO UPDATE SET sold = sold + excluded.sold, gross = gross + excluded.gross, refunded = refunded + excluded.refunded;
END;

CREATE TRIGGER orders_sales_update_new AFTER UPDATE OF id, ordered_at ON orders
    WHEN OLD.id IS NOT NEW.id OR OLD.ordered_at IS NOT NEW.ordered_at
BEGIN
    INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
    SELECT basis, day, profile_id, method, 1, gross, refunded FROM payment_sales WHERE basis = 'ordered' AND order_id = NEW.id
    ON CONFLICT DO UPDATE SET sold = sold + excluded.sold, gross = gross + excluded.gross, refunded = refunded + excluded.refunded;
END;
