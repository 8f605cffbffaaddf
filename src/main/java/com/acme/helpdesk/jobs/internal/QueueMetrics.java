package com.acme.helpdesk.jobs.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.acme.helpdesk.jobs.JobQueue;

/**
 * Per-queue job metrics of this process (tag {@code queue}): {@code helpdesk.jobs.enqueued}, {@code .succeeded},
 * {@code .failed} (every failed attempt), {@code .dead.lettered} (counters, registered at start so an alert on their
 * increase sees the first one), {@code helpdesk.jobs.running} (gauge) and {@code helpdesk.jobs.wait} (timer: enqueue,
 * or due time of a scheduled job, to start; a histogram with the buckets of
 * {@code management.metrics.distribution.slo}). The run time is the timer of the observation
 * {@code helpdesk.jobs.run} ({@link JobTracing}); the backlog the gauges of {@link QueueBacklog}.
 */
final class QueueMetrics {

	static final String NO_QUEUE = "helpdesk.default";

	private final MeterRegistry registry;
	private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
	private final Map<String, Counter> counters = new ConcurrentHashMap<>();
	private final Map<String, Timer> waits = new ConcurrentHashMap<>();

	QueueMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (var queue : JobQueue.values()) {
			running(queue.queueName());
			counter("helpdesk.jobs.enqueued", queue.queueName());
			counter("helpdesk.jobs.succeeded", queue.queueName());
			counter("helpdesk.jobs.failed", queue.queueName());
			counter("helpdesk.jobs.dead.lettered", queue.queueName());
		}
	}

	static String name(JobQueue queue) {
		return queue == null ? NO_QUEUE : queue.queueName();
	}

	void enqueued(JobQueue queue, int count) {
		counter("helpdesk.jobs.enqueued", name(queue)).increment(count);
	}

	void started(JobQueue queue, Duration wait) {
		running(name(queue)).incrementAndGet();
		waits.computeIfAbsent(name(queue), name -> Timer.builder("helpdesk.jobs.wait")
			.description("Time from enqueue (or due time) to start")
			.tag("queue", name)
			.register(registry)).record(wait.isNegative() ? Duration.ZERO : wait);
	}

	void finished(JobQueue queue, boolean succeeded) {
		running(name(queue)).decrementAndGet();
		counter(succeeded ? "helpdesk.jobs.succeeded" : "helpdesk.jobs.failed", name(queue)).increment();
	}

	void deadLettered(JobQueue queue) {
		counter("helpdesk.jobs.dead.lettered", name(queue)).increment();
	}

	private Counter counter(String name, String queue) {
		return counters.computeIfAbsent(name + "|" + queue,
				key -> Counter.builder(name).tag("queue", queue).register(registry));
	}

	private AtomicInteger running(String queue) {
		return running.computeIfAbsent(queue, name -> {
			var value = new AtomicInteger();
			Gauge.builder("helpdesk.jobs.running", value, AtomicInteger::get)
				.description("Jobs running now in this process")
				.tag("queue", name)
				.register(registry);
			return value;
		});
	}
}
