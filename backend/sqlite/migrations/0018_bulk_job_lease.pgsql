-- Twin of 0018_bulk_job_lease.sql: a bulk run is claimed like an operation (see
-- 0001_init.pgsql and backend/pgstore/operations.go). Several desktops run bulk jobs on
-- one database at once, so a job still running may be another desktop's, alive:
-- claimed_by names the process that runs it, lease_until (server time, ms) is when its
-- claim lapses unless that process renews it. A job whose lease lapsed is a dead
-- desktop's, and whichever desktop starts next closes it. A run begun before this step
-- has no owner and a lapsed lease: it is closed by the next desktop to start.
ALTER TABLE bulk_jobs ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE bulk_jobs ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
CREATE INDEX bulk_jobs_running ON bulk_jobs (lease_until) WHERE state = 'running';
