package com.acme.helpdesk.jobs;

import java.time.Duration;

/**
 * The effective settings of one queue.
 *
 * @param concurrency jobs of this queue running at once in one worker process
 * @param retries attempts after the first one; a job runs at most {@code retries + 1} times
 * @param backoff the kind of delay between attempts
 * @param backoffBase the base of the delay (see {@link Backoff})
 * @param priority 1 (highest) to 10 (lowest)
 */
public record QueueSettings(JobQueue queue, int concurrency, int retries, Backoff backoff, Duration backoffBase,
		int priority) {

	public QueueSettings {
		var name = queue == null ? "jobs on no queue" : queue.queueName();
		if (concurrency < 1) {
			throw new IllegalArgumentException(name + ": concurrency must be at least 1");
		}
		if (retries < 0) {
			throw new IllegalArgumentException(name + ": retries must not be negative");
		}
		if (backoffBase.isNegative()) {
			throw new IllegalArgumentException(name + ": backoff-base must not be negative");
		}
	}

	/** The delay before retry number {@code retry} (1-based). */
	public Duration delayBeforeRetry(int retry) {
		return backoff.delay(backoffBase, retry);
	}
}
