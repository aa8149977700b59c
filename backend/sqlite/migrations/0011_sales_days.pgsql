-- Twin of 0011_sales_days.sql: the sales of each JST day, profile and method, by sale
-- date and by order date, kept in step with payments and orders by triggers (see the
-- SQLite file for the rules). PostgreSQL's upsert refuses to touch one row twice in a
-- statement, so each change is summed per row of sales_days before it is applied.

CREATE VIEW payment_sales AS
SELECT 'sale'::text AS basis, p.captured_at AS at, (p.captured_at + 32400000) / 86400000 AS day,
       p.id AS payment_id, p.order_id, COALESCE(p.profile_id, 0) AS profile_id, p.method,
       p.amount_captured AS gross,
       CASE WHEN p.state IN ('captured', 'partially_refunded', 'deposited', 'needs_review', 'subscription_reported')
            THEN LEAST(p.amount_refunded, p.amount_captured) ELSE p.amount_captured END AS refunded
  FROM payments p WHERE p.method = 'card' AND p.captured_at > 0
UNION ALL
SELECT 'sale', p.paid_at, (p.paid_at + 32400000) / 86400000,
       p.id, p.order_id, COALESCE(p.profile_id, 0), p.method,
       CASE WHEN p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END,
       CASE WHEN p.state IN ('captured', 'partially_refunded', 'deposited', 'needs_review', 'subscription_reported')
            THEN LEAST(p.amount_refunded, CASE WHEN p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END)
            ELSE CASE WHEN p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END END
  FROM payments p WHERE p.method <> 'card' AND p.paid_at > 0
UNION ALL
SELECT 'ordered', o.ordered_at, (o.ordered_at + 32400000) / 86400000,
       p.id, p.order_id, COALESCE(p.profile_id, 0), p.method,
       CASE WHEN p.method = 'card' OR p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END,
       CASE WHEN p.state IN ('captured', 'partially_refunded', 'deposited', 'needs_review', 'subscription_reported')
            THEN LEAST(p.amount_refunded, CASE WHEN p.method = 'card' OR p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END)
            ELSE CASE WHEN p.method = 'card' OR p.amount_captured > 0 THEN p.amount_captured ELSE p.amount_authorized END END
  FROM payments p JOIN orders o ON o.id = p.order_id
 WHERE (p.method = 'card' AND p.captured_at > 0) OR (p.method <> 'card' AND p.paid_at > 0);

CREATE TABLE sales_days (
    basis      TEXT   NOT NULL,
    day        BIGINT NOT NULL,
    profile_id BIGINT NOT NULL,
    method     TEXT   NOT NULL,
    sold       BIGINT NOT NULL,
    gross      BIGINT NOT NULL,
    refunded   BIGINT NOT NULL,
    PRIMARY KEY (basis, day, profile_id, method)
);

INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
SELECT basis, day, profile_id, method, count(*), sum(gross), sum(refunded) FROM payment_sales GROUP BY 1, 2, 3, 4;

-- kd_sales_move adds (sign 1) or takes away (sign -1) the figures of one payment, or
-- the 'ordered' figures of one order's payments.
CREATE FUNCTION kd_sales_move(sign bigint, pay bigint, ord bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF pay IS NOT NULL THEN
        INSERT INTO sales_days AS s (basis, day, profile_id, method, sold, gross, refunded)
        SELECT basis, day, profile_id, method, sign * count(*), sign * sum(gross), sign * sum(refunded)
          FROM payment_sales WHERE payment_id = pay GROUP BY 1, 2, 3, 4
        ON CONFLICT (basis, day, profile_id, method) DO UPDATE
           SET sold = s.sold + excluded.sold, gross = s.gross + excluded.gross, refunded = s.refunded + excluded.refunded;
    ELSE
        INSERT INTO sales_days AS s (basis, day, profile_id, method, sold, gross, refunded)
        SELECT basis, day, profile_id, method, sign * count(*), sign * sum(gross), sign * sum(refunded)
          FROM payment_sales WHERE basis = 'ordered' AND order_id = ord GROUP BY 1, 2, 3, 4
        ON CONFLICT (basis, day, profile_id, method) DO UPDATE
           SET sold = s.sold + excluded.sold, gross = s.gross + excluded.gross, refunded = s.refunded + excluded.refunded;
    END IF;
END $$;

-- A row whose last sale left goes.
CREATE FUNCTION kd_sales_days_empty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM sales_days WHERE basis = NEW.basis AND day = NEW.day AND profile_id = NEW.profile_id AND method = NEW.method AND sold = 0;
    RETURN NULL;
END $$;
CREATE TRIGGER sales_days_empty AFTER UPDATE OF sold ON sales_days FOR EACH ROW WHEN (NEW.sold = 0) EXECUTE FUNCTION kd_sales_days_empty();

CREATE FUNCTION kd_payments_sales() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_WHEN = 'BEFORE' THEN
        -- A payment deleted with its order (ON DELETE CASCADE) goes after the order: its
        -- 'ordered' figures left with the order, and payment_sales finds no order here.
        PERFORM kd_sales_move(-1, OLD.id, NULL);
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    PERFORM kd_sales_move(1, NEW.id, NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER payments_sales_insert AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION kd_payments_sales();
CREATE TRIGGER payments_sales_delete BEFORE DELETE ON payments FOR EACH ROW EXECUTE FUNCTION kd_payments_sales();
CREATE TRIGGER payments_sales_update_old BEFORE UPDATE OF id, order_id, profile_id, method, state, amount_authorized, amount_captured,
    amount_refunded, captured_at, paid_at ON payments FOR EACH ROW
    WHEN ((OLD.id, OLD.order_id, OLD.profile_id, OLD.method, OLD.state, OLD.amount_authorized, OLD.amount_captured, OLD.amount_refunded, OLD.captured_at, OLD.paid_at)
          IS DISTINCT FROM (NEW.id, NEW.order_id, NEW.profile_id, NEW.method, NEW.state, NEW.amount_authorized, NEW.amount_captured, NEW.amount_refunded, NEW.captured_at, NEW.paid_at))
    EXECUTE FUNCTION kd_payments_sales();
CREATE TRIGGER payments_sales_update_new AFTER UPDATE OF id, order_id, profile_id, method, state, amount_authorized, amount_captured,
    amount_refunded, captured_at, paid_at ON payments FOR EACH ROW
    WHEN ((OLD.id, OLD.order_id, OLD.profile_id, OLD.method, OLD.state, OLD.amount_authorized, OLD.amount_captured, OLD.amount_refunded, OLD.captured_at, OLD.paid_at)
          IS DISTINCT FROM (NEW.id, NEW.order_id, NEW.profile_id, NEW.method, NEW.state, NEW.amount_authorized, NEW.amount_captured, NEW.amount_refunded, NEW.captured_at, NEW.paid_at))
    EXECUTE FUNCTION kd_payments_sales();

CREATE FUNCTION kd_orders_sales() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_WHEN = 'BEFORE' THEN
        PERFORM kd_sales_move(-1, NULL, OLD.id);
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    PERFORM kd_sales_move(1, NULL, NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER orders_sales_insert AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION kd_orders_sales();
CREATE TRIGGER orders_sales_delete BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION kd_orders_sales();
CREATE TRIGGER orders_sales_update_old BEFORE UPDATE OF id, ordered_at ON orders FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.ordered_at IS DISTINCT FROM NEW.ordered_at) EXECUTE FUNCTION kd_orders_sales();
CREATE TRIGGER orders_sales_update_new AFTER UPDATE OF id, ordered_at ON orders FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.ordered_at IS DISTINCT FROM NEW.ordered_at) EXECUTE FUNCTION kd_orders_sales();
