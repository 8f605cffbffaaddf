package com.acme.helpdesk.jobs.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jobrunr.jobs.states.DeletedState;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.exceptions.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.shared.ConflictException;
import com.acme.helpdesk.shared.NotFoundException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The stored dead letters: list, requeue (the same JobRunr job runs again), discard. The JobRunr dashboard's own
 * requeue only enqueues the job; {@link QueueJobObserver} makes its next run the same as after {@link #requeue}.
 */
class DeadLetters {

	/**
	 * Job metadata: the failures a job had when it was last requeued, so it gets its queue's retries again and its
	 * worker knows the run follows a requeue ({@code JobRun#requeued}).
	 */
	static final String FAILURES_BEFORE_REQUEUE = "helpdesk.failuresBeforeRequeue";

	private static final ObjectMapper JSON = new ObjectMapper();

	record DeadLetter(UUID id, UUID jobId, String queue, String jobName, JsonNode arguments, String error, int attempts,
			Instant failedAt) {
	}

	private final JdbcClient jdbc;
	private final StorageProvider storage;
	private final QueueServers servers;

	DeadLetters(JdbcClient jdbc, StorageProvider storage, QueueServers servers) {
		this.jdbc = jdbc;
		this.storage = storage;
		this.servers = servers;
	}

	List<DeadLetter> list(String queue, int offset, int limit) {
		return jdbc.sql("""
				SELECT id, job_id, queue, job_name, arguments::text, error, attempts, failed_at FROM job_dead_letter
				WHERE (CAST(? AS text) IS NULL OR queue = ?) ORDER BY failed_at DESC, id OFFSET ? LIMIT ?""")
			.params(queue, queue, offset, limit)
			.query((rs, row) -> new DeadLetter(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
					rs.getString(4), readTree(rs.getString(5)), rs.getString(6), rs.getInt(7),
					rs.getTimestamp(8).toInstant()))
			.list();
	}

	long count(String queue) {
		return jdbc.sql("SELECT count(*) FROM job_dead_letter WHERE (CAST(? AS text) IS NULL OR queue = ?)")
			.params(queue, queue)
			.query(Long.class)
			.single();
	}

	/** Enqueues the dead letter's job again (with its queue's retries) and removes the dead letter. */
	UUID requeue(UUID id) {
		var jobId = jdbc.sql("SELECT job_id FROM job_dead_letter WHERE id = ?")
			.param(id)
			.query(UUID.class)
			.optional()
			.orElseThrow(() -> new NotFoundException("Dead letter", id));
		org.jobrunr.jobs.Job job;
		try {
			job = storage.getJobById(jobId);
		}
		catch (JobNotFoundException e) {
			throw new ConflictException("The job of dead letter " + id + " no longer exists; discard it");
		}
		if (!job.hasState(StateName.FAILED)) {
			throw new ConflictException("The job of dead letter " + id + " is " + job.getState() + ", not FAILED");
		}
		job.getMetadata().put(FAILURES_BEFORE_REQUEUE, QueueRetryFilter.allFailures(job));
		job.enqueue();
		storage.save(job);
		jdbc.sql("DELETE FROM job_dead_letter WHERE id = ?").param(id).update();
		servers.wake(QueueHandler.queueOf(job));
		return jobId;
	}

	void discard(UUID id) {
		if (jdbc.sql("DELETE FROM job_dead_letter WHERE id = ?").param(id).update() == 0) {
			throw new NotFoundException("Dead letter", id);
		}
	}

	/** The value of {@link #FAILURES_BEFORE_REQUEUE} in a job's metadata; 0 for a job never requeued. */
	static long failuresBeforeRequeue(Object metadataValue) {
		return metadataValue instanceof Number number ? number.longValue() : 0;
	}

	/**
	 * The failures the job had when it was last requeued, read from its history, whoever requeued it: a requeue is the
	 * only change from {@code FAILED} (or from {@code DELETED} after {@code FAILED}) straight to {@code ENQUEUED}; a
	 * retry is scheduled first. 0 for a job never requeued.
	 */
	static long failuresWhenLastRequeued(org.jobrunr.jobs.Job job) {
		long failures = 0;
		long whenRequeued = 0;
		JobState previous = null;
		JobState beforePrevious = null;
		for (var state : job.getJobStates()) {
			if (state instanceof EnqueuedState && (previous instanceof FailedState
					|| previous instanceof DeletedState && beforePrevious instanceof FailedState)) {
				whenRequeued = failures;
			}
			if (state instanceof FailedState) {
				failures++;
			}
			beforePrevious = previous;
			previous = state;
		}
		return whenRequeued;
	}

	private static JsonNode readTree(String json) {
		try {
			return JSON.readTree(json);
		}
		catch (java.io.IOException e) {
			return JSON.getNodeFactory().textNode(json);
		}
	}
}
