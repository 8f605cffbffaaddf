package com.acme.helpdesk.jobs.internal;

import java.time.Clock;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.scheduling.exceptions.JobNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.QueueSettings;

/**
 * The one election filter of every queue server (it replaces JobRunr's {@code RetryFilter}, since a server keeps only
 * its last election filter): a failed job is scheduled again after its queue's back-off until it has failed
 * {@code retries + 1} times; then it stays {@code FAILED} and {@link QueueJobObserver} dead-letters it. Jobs on no
 * queue use {@code fallback}. Jobs whose arguments are invalid, or whose class or method is gone, are not retried.
 * <p>
 * Each attempt that is retried logs one line (job, attempt, delay, reason); JobRunr's own report of it, a warning
 * with the stack trace, is switched off in {@code application.yml}, so the stack trace shows once per job: in
 * JobRunr's error for the final failure, next to {@link HandleDeadLetter}'s line.
 */
final class QueueRetryFilter implements ElectStateFilter {

	private static final Logger log = LoggerFactory.getLogger(QueueRetryFilter.class);

	/** The longest reason a log line carries. */
	static final int MAX_REASON = 500;

	private final JobQueues queues;
	private final QueueSettings fallback;
	private final Clock clock;

	QueueRetryFilter(JobQueues queues, QueueSettings fallback, Clock clock) {
		this.queues = queues;
		this.fallback = fallback;
		this.clock = clock;
	}

	@Override
	public void onStateElection(Job job, JobState newState) {
		if (!(newState instanceof FailedState failed) || failed.mustNotRetry() || isPermanent(failed)) {
			return;
		}
		var settings = settingsOf(job);
		var failures = failuresCounted(job);
		if (failures > settings.retries()) {
			return;
		}
		var delay = settings.delayBeforeRetry((int) failures);
		job.scheduleAt(clock.instant().plus(delay), String.format("Retry %d of %d (%s back-off, %s)", failures,
				settings.retries(), settings.backoff().name().toLowerCase(), delay));
		log.warn("Job {} ({}) on {}: attempt {} of {} failed, retry in {}: {}", job.getId(), HandleDeadLetter.jobName(job),
				QueueMetrics.name(QueueHandler.queueOf(job)), failures, settings.retries() + 1, delay, reason(failed));
	}

	/** The failure's exception and message on one line, at most {@value #MAX_REASON} characters. */
	static String reason(FailedState failed) {
		var type = failed.getExceptionType() == null ? "unknown" : failed.getExceptionType();
		var text = type.substring(type.lastIndexOf('.') + 1)
				+ (failed.getExceptionMessage() == null ? "" : ": " + failed.getExceptionMessage());
		text = text.replaceAll("\\s+", " ").strip();
		return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
	}

	QueueSettings settingsOf(Job job) {
		var queue = QueueHandler.queueOf(job);
		return queue == null ? fallback : queues.settings(queue);
	}

	/** Failures since the job was last requeued from the dead letters (orphaned runs count too). */
	static long failuresCounted(Job job) {
		var failures = job.getJobStates().stream().filter(state -> state instanceof FailedState).count();
		var before = job.getMetadata().get(DeadLetters.FAILURES_BEFORE_REQUEUE);
		return before instanceof Number number ? failures - number.longValue() : failures;
	}

	static long allFailures(Job job) {
		return job.getJobStates().stream().filter(state -> state instanceof FailedState).count();
	}

	private static boolean isPermanent(FailedState failed) {
		var type = failed.getExceptionType();
		return InvalidJobArgumentsException.class.getName().equals(type)
				|| JobNotFoundException.class.getName().equals(type) || isInvalidArgumentsSubclass(type);
	}

	/** Modules may name their permanent failures (an outbound call refused, say) by extending the exception. */
	private static boolean isInvalidArgumentsSubclass(String type) {
		try {
			return type != null && InvalidJobArgumentsException.class
				.isAssignableFrom(Class.forName(type, false, QueueRetryFilter.class.getClassLoader()));
		}
		catch (ClassNotFoundException | LinkageError e) {
			return false;
		}
	}
}
