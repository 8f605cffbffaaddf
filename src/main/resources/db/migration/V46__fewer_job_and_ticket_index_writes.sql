-- Every job row is inserted, then rewritten twice (claimed, finished), and no rewrite is a HOT update (state and
-- updatedAt are indexed), so every index of jobrunr_jobs is written three times per job. Keep the indexes JobRunr's
-- queries and the queue layer's claims use, and only for the rows they look for. (Not CONCURRENTLY: Flyway's
-- transactional advisory lock makes a concurrent index build wait forever. The two partial indexes are built with job
-- writes held back: on a jobs table of many millions of rows, deploy this while the queues are quiet.)

-- (state, updatedAt) serves every query by state
DROP INDEX jobrunr_state_idx;
-- no query orders or filters by createdAt
DROP INDEX jobrunr_job_created_at_idx;
-- only the distinct signatures of SCHEDULED jobs are asked for (at start-up and by the dashboard): found by state
DROP INDEX jobrunr_job_signature_idx;
-- the due-job query (scheduledAt <= ?) and the latest run of a recurring job only look at rows that have one
DROP INDEX jobrunr_job_scheduled_at_idx;
CREATE INDEX jobrunr_job_scheduled_at_idx ON jobrunr_jobs (scheduledAt) WHERE scheduledAt IS NOT NULL;
DROP INDEX jobrunr_job_rci_idx;
CREATE INDEX jobrunr_job_rci_idx ON jobrunr_jobs (recurringJobId) WHERE recurringJobId IS NOT NULL;

-- Enrichment and priority changes rewrite a ticket without touching any of its indexed columns: room on the
-- page lets PostgreSQL keep the new version there (a HOT update) instead of writing all nine of its indexes again.
ALTER TABLE ticket SET (fillfactor = 85);
