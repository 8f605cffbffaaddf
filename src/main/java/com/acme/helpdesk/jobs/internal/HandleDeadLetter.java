package com.acme.helpdesk.jobs.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.states.FailedState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Use case: a job failed for good. Stores it as a dead letter (queue, job name, arguments, last error, attempts),
 * once per job id however often it is reported, and counts it.
 */
public class HandleDeadLetter {

	private static final Logger log = LoggerFactory.getLogger(HandleDeadLetter.class);

	private final JdbcClient jdbc;
	private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
		.findAndRegisterModules();
	private final QueueMetrics metrics;
	private final Clock clock;

	HandleDeadLetter(JdbcClient jdbc, QueueMetrics metrics, Clock clock) {
		this.jdbc = jdbc;
		this.metrics = metrics;
		this.clock = clock;
	}

	public void handle(Job job) {
		var queue = QueueHandler.queueOf(job);
		var failed = job.getLastJobStateOfType(FailedState.class).orElse(null);
		var error = failed == null ? "unknown"
				: failed.getExceptionType() + ": " + failed.getExceptionMessage()
						+ (failed.getMessage() == null ? "" : " (" + failed.getMessage() + ")");
		var inserted = jdbc.sql("""
				INSERT INTO job_dead_letter (id, job_id, queue, job_name, arguments, error, attempts, failed_at)
				VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?)
				ON CONFLICT (job_id) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts,
				  failed_at = EXCLUDED.failed_at, arguments = EXCLUDED.arguments
				  WHERE job_dead_letter.attempts < EXCLUDED.attempts""")
			.params(UUID.randomUUID(), job.getId(), QueueMetrics.name(queue), jobName(job), arguments(job), error,
					(int) QueueRetryFilter.allFailures(job), Timestamp.from(clock.instant()))
			.update();
		if (inserted > 0) {
			metrics.deadLettered(queue);
			// one line: the stack trace is in JobRunr's error about the same failure
			log.warn("Job {} ({}) on {}: attempt {} failed for good, now a dead letter: {}", job.getId(), jobName(job),
					QueueMetrics.name(queue), QueueRetryFilter.allFailures(job),
					failed == null ? "unknown" : QueueRetryFilter.reason(failed));
		}
	}

	/** The job was requeued (through the JobRunr dashboard): its dead letter goes, as through {@link DeadLetters}. */
	void requeued(Job job) {
		jdbc.sql("DELETE FROM job_dead_letter WHERE job_id = ?").param(job.getId()).update();
	}

	/** The queue job's name ({@code notification}), or JobRunr's name of a job on no queue. */
	static String jobName(Job job) {
		var parameters = job.getJobDetails().getJobParameters();
		if (parameters.size() == 2 && parameters.get(1).getObject() instanceof com.acme.helpdesk.jobs.HelpdeskJob queued) {
			return queued.jobName();
		}
		return job.getJobName();
	}

	private String arguments(Job job) {
		var parameters = job.getJobDetails().getJobParameters();
		Object value;
		if (parameters.size() == 2 && parameters.get(1).getObject() != null) {
			value = parameters.get(1).getObject();
		}
		else {
			value = parameters.stream().map(JobParameter::getObject).toList();
		}
		try {
			return JSON.writeValueAsString(value);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
			return "null";
		}
	}
}
