package com.acme.helpdesk.jobs;

import java.time.Duration;
import java.util.List;

/**
 * The named queues of the helpdesk with their defaults (docs/queues.md). Each value can be overridden per queue
 * with {@code helpdesk.queues.<key>.concurrency|retries|backoff|backoff-base|priority}, where {@code <key>} is
 * {@link #key()} (the name without {@code helpdesk.}), e.g. {@code helpdesk.queues.notification.concurrency=20}
 * ({@code HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY=40}); a new queue gets its component in
 * {@code jobs.internal.QueueProperties.Queues}, whose switch the compiler checks.
 * The effective values are in {@link QueueSettings} ({@link JobQueues#settings(JobQueue)}).
 * <p>
 * Concurrency is the number of jobs of the queue that run at once in one worker process (each queue has its own
 * JobRunr server with that many workers, so a flood on one queue never delays another). Retries and back-off:
 * see {@link Backoff}. Priority (1 = highest, 10 = lowest) orders the queues where one order is needed (start-up,
 * listings); JobRunr open source has no priorities within a worker pool, and none are needed across queues since
 * every queue has its own workers.
 */
public enum JobQueue {

	SLA_MONITOR("helpdesk.sla-monitor", 1, 2, Backoff.FIXED, Duration.ofSeconds(60), 5, "sla-monitor"),
	ESCALATION("helpdesk.escalation", 5, 3, Backoff.EXPONENTIAL, Duration.ofSeconds(5), 1, "escalation",
			"escalation-batch"),
	ASSIGNMENT("helpdesk.assignment", 5, 3, Backoff.EXPONENTIAL, Duration.ofSeconds(5), 5, "assign", "assign-waiting"),
	NOTIFICATION("helpdesk.notification", 10, 5, Backoff.EXPONENTIAL, Duration.ofSeconds(5), 10, "notification",
			"notification-batch", "notification-digest"),
	CONTEXT_ENRICHMENT("helpdesk.context-enrichment", 30, 3, Backoff.EXPONENTIAL, Duration.ofSeconds(5), 5, "enrich"),
	SURVEY_TRIGGER("helpdesk.survey-trigger", 3, 3, Backoff.EXPONENTIAL, Duration.ofSeconds(10), 5, "survey-trigger"),
	ANALYTICS_UPDATE("helpdesk.analytics-update", 2, 3, Backoff.EXPONENTIAL, Duration.ofSeconds(5), 10,
			"analytics-update", "analytics-stragglers", "analytics-rebuild");

	private final String queueName;
	private final QueueSettings defaults;
	private final List<String> jobNames;

	JobQueue(String queueName, int concurrency, int retries, Backoff backoff, Duration backoffBase, int priority,
			String... jobNames) {
		this.queueName = queueName;
		this.defaults = new QueueSettings(this, concurrency, retries, backoff, backoffBase, priority);
		this.jobNames = List.of(jobNames);
	}

	/** The queue's name, e.g. {@code helpdesk.notification} (shown as label {@code queue:<name>} in the dashboard). */
	public String queueName() {
		return queueName;
	}

	/** The configuration key: the name without {@code helpdesk.}, e.g. {@code notification}. */
	public String key() {
		return queueName.substring("helpdesk.".length());
	}

	/** The job names that run on this queue. */
	public List<String> jobNames() {
		return jobNames;
	}

	/** The values of docs/queues.md's table, before configuration. */
	public QueueSettings defaults() {
		return defaults;
	}

	public static JobQueue ofName(String queueName) {
		for (var queue : values()) {
			if (queue.queueName.equals(queueName) || queue.key().equals(queueName)) {
				return queue;
			}
		}
		throw new IllegalArgumentException("Unknown queue: " + queueName);
	}
}
