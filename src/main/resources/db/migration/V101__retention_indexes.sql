-- The retention purges (docs/operations.md, Retention) delete the oldest rows first, a batch at a time: each batch
-- reads these indexes from their oldest entry instead of scanning the table. Without them the purge of a hot table
-- (notification: two rows per ticket; the processed-event records: one per handled event) would read it whole for
-- every batch. Each costs one index entry per insert (and per non-HOT update of a notification's state).
-- (Not CONCURRENTLY: Flyway's transactional advisory lock makes a concurrent build wait forever. On tables of many
-- millions of rows, deploy this while traffic is low: each build holds back writes to its table while it runs.)
CREATE INDEX processed_event_by_time_idx ON processed_event (processed_at);
CREATE INDEX sla_processed_event_by_time_idx ON sla_processed_event (processed_at);
CREATE INDEX notification_by_created_at_idx ON notification (created_at);
CREATE INDEX job_dead_letter_by_time_idx ON job_dead_letter (failed_at);
