-- Import jobs' states, so that any instance can answer for a job another instance runs (see
-- src/store/jobs.rs). PostgreSQL only: SQLite serves one process, which keeps its jobs in memory.
CREATE TABLE import_jobs (
    id TEXT PRIMARY KEY,
    -- The job's state as the status endpoint returns it (JSON).
    state TEXT NOT NULL,
    -- When the running instance last wrote it: a job still "importing" long after is orphaned.
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX import_jobs_updated ON import_jobs (updated);
