-- Bulk runs name the process that runs them and until when it holds them (issue 18).
-- On SQLite one process owns the data folder, so a run still running at start is a
-- dead one's and nothing renews a lease: the columns stay '' and 0. They are here so
-- that both engines have the same bulk_jobs (a database moved to the server and back).
ALTER TABLE bulk_jobs ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE bulk_jobs ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
