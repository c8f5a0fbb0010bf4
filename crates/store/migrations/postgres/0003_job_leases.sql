-- Named leases for jobs that must run on one node at a time (e.g. the daily
-- reports): `Store::try_lock_job` takes the row when it is free, expired, or
-- already held by the same holder. Mirrors migrations/sqlite/0003_job_leases.sql.
CREATE TABLE job_leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    lease_until  BIGINT NOT NULL,
    acquired_at  BIGINT NOT NULL
);
