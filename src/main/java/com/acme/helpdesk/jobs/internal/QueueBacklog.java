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
 * {@code helpdesk.jobs.waiting} (jobs {@code ENQUEUED} and not started; delayed and retried jobs count once they are
 * due), {@code helpdesk.jobs.waiting.oldest.age} (seconds since the oldest of them was enqueued, 0 when none) and
 * {@code helpdesk.jobs.dead.letters} (dead letters stored now). One reading, at most every
 * {@link CachedReading#GAUGE_MAX_AGE}, of two grouped queries: the first reads only the partial index of waiting jobs
 * ({@code jobrunr_enqueued_queue_idx}, the one the claims use: its entries are the waiting jobs, plus those claimed
 * since the last vacuum), never the rest of {@code jobrunr_jobs}; the second the queue index of {@code job_dead_letter}.
 */
final class QueueBacklog implements MeterBinder {

	record Reading(Map<String, Long> waiting, Map<String, Instant> oldest, Map<String, Long> deadLetters) {

		static final Reading UNAVAILABLE = new Reading(null, null, null);
	}

	private final JdbcClient jdbc;
	private final Clock clock;
	private final String waitingSql;
	private final Map<String, String> queueByMethod = new HashMap<>();
	private final CachedReading<Reading> reading;

	QueueBacklog(JdbcClient jdbc, String tablePrefix, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
		var table = (tablePrefix == null ? "" : tablePrefix) + "jobrunr_jobs";
		// the expression and predicate of jobrunr_enqueued_queue_idx, so the index alone answers
		this.waitingSql = "SELECT split_part(jobSignature, '(', 1) AS method, count(*) AS jobs, min(updatedAt) AS oldest FROM "
				+ table + " WHERE state = 'ENQUEUED' GROUP BY split_part(jobSignature, '(', 1)";
		for (var queue : JobQueue.values()) {
			queueByMethod.put(QueueHandler.handlerClass(queue).getName() + "." + QueueHandler.METHOD, queue.queueName());
		}
		this.reading = new CachedReading<>("the queue backlog", CachedReading.GAUGE_MAX_AGE, this::read,
				Reading.UNAVAILABLE);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		var queues = new java.util.ArrayList<String>();
		for (var queue : JobQueue.values()) {
			queues.add(queue.queueName());
		}
		queues.add(QueueMetrics.NO_QUEUE);
		for (var queue : queues) {
			Gauge.builder("helpdesk.jobs.waiting", reading, r -> count(r.get().waiting(), queue))
				.description("Jobs enqueued and not started, in the whole cluster")
				.tag("queue", queue)
				.register(registry);
			TimeGauge.builder("helpdesk.jobs.waiting.oldest.age", reading, TimeUnit.SECONDS, r -> age(r.get(), queue))
				.description("How long the oldest waiting job has waited (0: none waits)")
				.tag("queue", queue)
				.register(registry);
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
		jdbc.sql(waitingSql).query(rows -> {
			var queue = queueByMethod.getOrDefault(rows.getString("method"), QueueMetrics.NO_QUEUE);
			waiting.merge(queue, rows.getLong("jobs"), Long::sum);
			// JobRunr's columns are TIMESTAMPs holding UTC
			var at = rows.getObject("oldest", LocalDateTime.class).toInstant(ZoneOffset.UTC);
			oldest.merge(queue, at, (a, b) -> a.isBefore(b) ? a : b);
		});
		var deadLetters = new HashMap<String, Long>();
		jdbc.sql("SELECT queue, count(*) AS letters FROM job_dead_letter GROUP BY queue")
			.query(rows -> {
				deadLetters.put(rows.getString("queue"), rows.getLong("letters"));
			});
		return new Reading(waiting, oldest, deadLetters);
	}
}
