package com.acme.helpdesk.jobs;

import java.time.Duration;

/**
 * How long a failed job waits before its next attempt. With {@code base} the queue's back-off base and
 * {@code n} the number of the retry (1 for the first retry, up to the queue's retries):
 * <ul>
 * <li>{@link #FIXED}: {@code delay(n) = base}</li>
 * <li>{@link #EXPONENTIAL}: {@code delay(n) = base * 2^(n-1)} (base 5 s: 5 s, 10 s, 20 s, 40 s, 80 s)</li>
 * </ul>
 * A retry becomes due at {@code failedAt + delay(n)} and is started by the next poll of the cluster's master job
 * server after that (at most one poll interval later).
 */
public enum Backoff {

	FIXED, EXPONENTIAL;

	/** The delay before retry number {@code retry} (1-based). */
	public Duration delay(Duration base, int retry) {
		if (retry < 1) {
			throw new IllegalArgumentException("retry is 1-based: " + retry);
		}
		return switch (this) {
			case FIXED -> base;
			case EXPONENTIAL -> base.multipliedBy(1L << Math.min(retry - 1, 20));
		};
	}
}
