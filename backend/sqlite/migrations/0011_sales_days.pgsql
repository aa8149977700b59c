-- Twin of 0011_sales_days.sql (the 売上集計 summary kept by triggers). The PostgreSQL
-- store does not serve the reports yet (backend.ReportStore on pgstore is phase 2 of
-- issue 18): nothing to do here until then. The sales_days table and its triggers
-- (as plpgsql trigger functions) come with that work — in this file while no shared
-- database has been deployed, in a new step after.
SELECT 1;
