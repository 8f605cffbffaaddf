package com.acme.helpdesk.jobs.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.shared.CachedReading;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The backlog of every queue, cluster-wide (the same figures in every process), tag {@code queue}:
 * {@code helpdesk.jobs.waiting} (jobs {@code ENQUEUED} and not started, counted up to {@link #COUNT_LIMIT}; delayed and
 * retried jobs count once they are due), {@code helpdesk.jobs.waiting.oldest.age} (seconds since the oldest of them was
 * enqueued, 0 when none) and {@code helpdesk.jobs.dead.letters} (dead letters stored now). One reading, at most every
 * {@link CachedReading#GAUGE_MAX_AGE}, of two queries. The first asks, per queue, for the oldest entry of the partial
 * index of waiting jobs ({@code jobrunr_enqueued_queue_idx}, the one the claims use) and counts at most
 * {@link #COUNT_LIMIT} of its entries (each a visit of the job's row: the index holds an expression of the signature,
 * so no index-only scan), never the rest of {@code jobrunr_jobs}; the second groups the queue index of
 * {@code job_dead_letter}.
 */
final class QueueBacklog implements MeterBinder {

	record Reading(Map<String, Long> waiting, Map<String, Instant> oldest, Map<String, Long> deadLetters) {

		static final Reading UNAVAILABLE = new Reading(null, null, null);
	}

	/** The count of waiting jobs stops here: a reading visits at most this many rows per queue. */
	static final int COUNT_LIMIT = 10_000;

	private final JdbcClient jdbc;
	private final Clock clock;
	private final String waitingSql;
	private final Map<String, String> queueByMethod = new HashMap<>();
	private final String[] methods;
	private final CachedReading<Reading> reading;

	QueueBacklog(JdbcClient jdbc, String tablePrefix, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
		var table = (tablePrefix == null ? "" : tablePrefix) + "jobrunr_jobs";
		// the expression and predicate of jobrunr_enqueued_queue_idx: its entries of one queue, oldest first
		var waiting = " FROM " + table + " WHERE state = 'ENQUEUED' AND split_part(jobSignature, '(', 1) = queue.method";
		this.waitingSql = "SELECT queue.method, (SELECT count(*) FROM (SELECT 1" + waiting + " LIMIT " + COUNT_LIMIT
				+ ") counted) AS jobs, (SELECT min(updatedAt)" + waiting + ") AS oldest FROM unnest(?::text[]) AS queue(method)";
		for (var queue : JobQueue.values()) {
			queueByMethod.put(QueueHandler.handlerClass(queue).getName() + "." + QueueHandler.METHOD, queue.queueName());
		}
		this.methods = queueByMethod.keySet().toArray(String[]::new);
		this.reading = new CachedReading<>("the queue backlog", CachedReading.GAUGE_MAX_AGE, this::read,
				Reading.UNAVAILABLE);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (var queue : queueByMethod.values()) {
			Gauge.builder("helpdesk.jobs.waiting", reading, r -> count(r.get().waiting(), queue))
				.description("Jobs enqueued and not started, in the whole cluster (counted up to " + COUNT_LIMIT + ")")
				.tag("queue", queue)
				.register(registry);
			TimeGauge.builder("helpdesk.jobs.waiting.oldest.age", reading, TimeUnit.SECONDS, r -> age(r.get(), queue))
				.description("How long the oldest waiting job has waited (0: none waits)")
				.tag("queue", queue)
				.register(registry);
		}
		var deadLetterQueues = new java.util.ArrayList<>(queueByMethod.values());
		deadLetterQueues.add(QueueMetrics.NO_QUEUE);
		for (var queue : deadLetterQueues) {
			Gauge.builder("helpdesk.jobs.dead.letters", reading, r -> count(r.get().deadLetters(), queue))
				.description("Dead letters stored (failed for good, not requeued or deleted yet)")
				.tag("queue", queue)
				.register(registry);
		}
	}

	private static double count(Map<String, Long> counts, String queue) {
		return counts == null ? Double.NaN : counts.getOrDefault(queue, 0L);
	}

	private double age(Reading reading, String queue) {
		if (reading.oldest() == null) {
			return Double.NaN;
		}
		var oldest = reading.oldest().get(queue);
		if (oldest == null) {
			return 0;
		}
		return Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
	}

	private Reading read() {
		var waiting = new HashMap<String, Long>();
		var oldest = new HashMap<String, Instant>();
		jdbc.sql(waitingSql).param(methods).query(rows -> {
			var queue = queueByMethod.get(rows.getString("method"));
			waiting.put(queue, rows.getLong("jobs"));
			// JobRunr's columns are TIMESTAMPs holding UTC
			var at = rows.getObject("oldest", LocalDateTime.class);
			if (at != null) {
				oldest.put(queue, at.toInstant(ZoneOffset.UTC));
			}
		});
		var deadLetters = new HashMap<String, Long>();
		jdbc.sql("SELECT queue, count(*) AS letters FROM job_dead_letter GROUP BY queue")
			.query(rows -> {
				deadLetters.put(rows.getString("queue"), rows.getLong("letters"));
			});
		return new Reading(waiting, oldest, deadLetters);
	}
}
