-- Twin of 0020_live_view.sql: the live view of a team's desktops (issue 18). A statement
-- that changes a table the window shows sends one notification on the channel
-- kessaidesk_changes, after its transaction commits (a rolled-back one sends none), with
-- the table's name and the writer's application_name — pgstore sets it to the process's
-- Owner, so a desktop can skip its own changes (it refreshes after its own actions
-- already). The payload is small: {"table":"orders","by":"kessaidesk host/pid/tail"}.
-- PostgreSQL folds identical notifications of one transaction into one; pgstore's
-- listener (backend/pgstore/listen.go) folds the bursts of several transactions.
--
-- Statement-level, so that a bulk change sends one notification, not one per row; the
-- transition table tells a statement that changed no row (the leases' renewal every
-- 20 s, an UPDATE … WHERE that matched nothing) from one that did: only the latter
-- notifies. A trigger with a transition table takes one event, hence three per table.
-- sales_days (kept by triggers of payments and orders), products, payment_tran_ids and
-- gateway_fees are left out: what they hold changes with a watched table.
CREATE FUNCTION kd_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM kd_old LIMIT 1;
    ELSE
        PERFORM 1 FROM kd_new LIMIT 1;
    END IF;
    IF FOUND THEN
        PERFORM pg_notify('kessaidesk_changes',
            json_build_object('table', TG_TABLE_NAME, 'by', current_setting('application_name', true))::text);
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['orders', 'order_items', 'order_events', 'order_links', 'payments',
        'operations', 'refund_tasks', 'cancel_stock', 'bulk_jobs', 'bulk_items', 'drifts',
        'shipping_holds', 'payment_reviews', 'sync_status', 'gateway_profiles', 'settings'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS kd_new FOR EACH STATEMENT EXECUTE FUNCTION kd_notify_change()', t || '_notify_ins', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS kd_new FOR EACH STATEMENT EXECUTE FUNCTION kd_notify_change()', t || '_notify_upd', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS kd_old FOR EACH STATEMENT EXECUTE FUNCTION kd_notify_change()', t || '_notify_del', t);
    END LOOP;
END $$;
