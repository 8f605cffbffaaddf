package com.acme.helpdesk.shared;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read on demand (a gauge's query), at most once per {@code maxAge}: the gauges of one reading share it, and
 * however often {@code /actuator/prometheus} is scraped, the database answers one query per interval. A failed read
 * gives {@code unavailable} until the next interval.
 */
public final class CachedReading<T> implements Supplier<T> {

	/** How long the database gauges (queue backlog, outbox, dead letters) keep a reading. */
	public static final Duration GAUGE_MAX_AGE = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(CachedReading.class);

	private final String name;
	private final long maxAgeNanos;
	private final Supplier<T> read;
	private final T unavailable;
	private T value;
	private long readAt;
	private boolean failing;

	public CachedReading(String name, Duration maxAge, Supplier<T> read, T unavailable) {
		this.name = name;
		this.maxAgeNanos = maxAge.toNanos();
		this.read = read;
		this.unavailable = unavailable;
	}

	@Override
	public synchronized T get() {
		if (value == null || System.nanoTime() - readAt >= maxAgeNanos) {
			try {
				value = read.get();
				failing = false;
			}
			catch (RuntimeException e) {
				if (!failing) {
					log.warn("Reading {} for the metrics failed: {}", name, e.toString());
				}
				failing = true;
				value = unavailable;
			}
			readAt = System.nanoTime();
		}
		return value;
	}
}
