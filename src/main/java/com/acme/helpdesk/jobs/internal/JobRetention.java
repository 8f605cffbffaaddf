package com.acme.helpdesk.jobs.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobReruns;
import com.acme.helpdesk.shared.Purged;

/**
 * The queue layer's retention, one recurring job with a fixed id for the cluster: {@code FAILED} jobs and dead letters
 * older than {@code helpdesk.jobs.dead-letter-retention} (a dead letter and its job go together: a job failed for good
 * can be requeued until then), and recorded idempotency keys older than {@code helpdesk.jobs.idempotency-retention},
 * which start-up checks covers every run a job can still have ({@link JobReruns}). Oldest first, in batches, each
 * through an index ({@code jobrunr_jobs_state_updated_idx}, {@code job_dead_letter_by_time_idx},
 * {@code job_idempotency_recorded_at_idx}). Succeeded jobs are JobRunr's to delete
 * ({@code jobrunr.background-job-server.delete-succeeded-jobs-after}). Public only because JobRunr calls it.
 */
public class JobRetention {

	static final String PURGE_JOB_ID = "jobs-purge-expired";

	private static final Logger log = LoggerFactory.getLogger(JobRetention.class);

	/** What one run deleted, per kind of row. */
	public record Result(Purged failedJobs, Purged deadLetters, Purged idempotencyKeys) {
	}

	private final JdbcClient jdbc;
	private final JobRetentionProperties properties;
	private final Clock clock;
	private final String jobsTable;

	JobRetention(JdbcClient jdbc, JobRetentionProperties properties, JobReruns reruns, Clock clock, String tablePrefix) {
		reruns.window().requireCoveredBy("helpdesk.jobs.idempotency-retention", properties.idempotencyRetention());
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
		this.jobsTable = (tablePrefix == null ? "" : tablePrefix) + "jobrunr_jobs";
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule(ApplicationReadyEvent event) {
		var scheduler = event.getApplicationContext().getBeanProvider(JobScheduler.class).getIfAvailable();
		if (scheduler != null) {
			scheduler.<JobRetention>scheduleRecurrently(PURGE_JOB_ID, properties.purgeCron(),
					retention -> retention.purgeExpired());
		}
	}

	@Job(name = "Purge expired dead letters, failed jobs and idempotency keys")
	public Result purgeExpired() {
		var now = clock.instant();
		var deadLettersBefore = now.minus(properties.deadLetterRetention());
		// JobRunr keeps its times in UTC, as timestamps without a zone
		var failedBefore = LocalDateTime.ofInstant(deadLettersBefore, ZoneOffset.UTC);
		var failedJobs = Purged.inBatches(properties.purgeBatchSize(), limit -> jdbc.sql("DELETE FROM " + jobsTable
				+ " WHERE state = 'FAILED' AND id IN (SELECT id FROM " + jobsTable
				+ " WHERE state = 'FAILED' AND updatedAt < ? ORDER BY updatedAt LIMIT ?)")
			.params(failedBefore, limit)
			.update());
		var deadLetters = Purged.inBatches(properties.purgeBatchSize(), limit -> jdbc.sql("""
				DELETE FROM job_dead_letter WHERE id IN (
				  SELECT id FROM job_dead_letter WHERE failed_at < ? ORDER BY failed_at LIMIT ?)""")
			.params(Timestamp.from(deadLettersBefore), limit)
			.update());
		var keys = Purged.inBatches(properties.purgeBatchSize(), limit -> jdbc.sql("""
				DELETE FROM job_idempotency WHERE idempotency_key IN (
				  SELECT idempotency_key FROM job_idempotency WHERE recorded_at < ? ORDER BY recorded_at LIMIT ?)""")
			.params(Timestamp.from(now.minus(properties.idempotencyRetention())), limit)
			.update());
		if (failedJobs.rows() + deadLetters.rows() + keys.rows() > 0) {
			log.info("Purged {} failed jobs and {} dead letters older than {}, {} idempotency keys older than {}",
					failedJobs.rows(), deadLetters.rows(), properties.deadLetterRetention(), keys.rows(),
					properties.idempotencyRetention());
		}
		return new Result(failedJobs, deadLetters, keys);
	}
}
