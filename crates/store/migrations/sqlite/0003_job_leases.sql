-- Named leases for jobs that must run on one node at a time (e.g. the daily
-- reports): `Store::try_lock_job` takes the row when it is free, expired, or
-- already held by the same holder.
CREATE TABLE job_leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    lease_until  INTEGER NOT NULL,
    acquired_at  INTEGER NOT NULL
);
