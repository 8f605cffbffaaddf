package com.acme.helpdesk.jobs.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.validation.annotation.Validated;

import com.acme.helpdesk.jobs.Backoff;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.QueueSettings;
import com.acme.helpdesk.jobs.RunMode;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The queue layer's settings (see {@code docs/queues.md}).
 * <p>
 * A queue's key in {@code helpdesk.queues} is its {@link JobQueue#key()} with or without its dashes: environment
 * variables reach map keys only without them ({@code HELPDESK_QUEUES_CONTEXTENRICHMENT_CONCURRENCY} binds the key
 * {@code contextenrichment}), properties and YAML may keep them
 * ({@code helpdesk.queues.context-enrichment.concurrency}).
 * A key that names no queue, or one queue given in both forms, stops start-up.
 *
 * @param runMode {@code all} | {@code api} | {@code worker}
 * @param queues per queue key as configured, the values that replace the queue's defaults ({@link JobQueue})
 * @param jobs the queue servers of this process
 */
@Validated
@ConfigurationProperties("helpdesk")
record QueueProperties(@NotNull @DefaultValue("all") RunMode runMode,
		@DefaultValue Map<String, @Valid QueueOverride> queues, @NotNull @Valid @DefaultValue Jobs jobs) {

	/**
	 * What configuration sets of one queue; each value left out keeps the queue's default.
	 *
	 * @param concurrency jobs of the queue running at once in one worker process
	 * @param retries attempts after the first one
	 * @param backoff {@code fixed} or {@code exponential}
	 * @param backoffBase the base of the delay between attempts
	 * @param priority 1 (highest) to 10 (lowest)
	 */
	record QueueOverride(@Min(1) @Max(1000) Integer concurrency, @Min(0) @Max(100) Integer retries, Backoff backoff,
			@DurationMin(nanos = 0) Duration backoffBase, @Min(1) @Max(10) Integer priority) {
	}

	/**
	 * @param defaultConcurrency workers for jobs on no queue (maintenance jobs)
	 * @param serve the queues this process serves, by key (all when empty), e.g. to scale one queue apart
	 * @param shutdownGrace when the process stops, how long its running jobs may take to finish before they are
	 * interrupted (and retried)
	 */
	record Jobs(@Min(1) @Max(1000) @DefaultValue("2") int defaultConcurrency, @DefaultValue List<String> serve,
			@NotNull @DurationMin(seconds = 0) @DurationMax(minutes = 30) @DefaultValue("30s") Duration shutdownGrace) {

		Jobs {
			for (var key : serve) {
				queueOf(key, "helpdesk.jobs.serve");
			}
		}

		/** The queues this process serves. */
		Set<JobQueue> servedQueues() {
			return serve.isEmpty() ? Set.of(JobQueue.values())
					: serve.stream().map(key -> queueOf(key, "helpdesk.jobs.serve")).collect(Collectors.toSet());
		}
	}

	QueueProperties {
		overridesByQueue(queues); // stops on a key that names no queue, before the values are validated
	}

	/**
	 * Stops start-up on a setting under {@code helpdesk.queues} whose key names no queue, from whichever source: binding
	 * drops what it cannot make a queue's settings of, e.g. {@code HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY}
	 * (the key {@code context}, with a setting {@code enrichment.concurrency}).
	 */
	static void checkQueueKeys(Iterable<ConfigurationPropertySource> sources) {
		var root = ConfigurationPropertyName.of("helpdesk.queues");
		for (var source : sources) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(root::isAncestorOf)
					.forEach(name -> queueOf(name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL), "helpdesk.queues"));
			}
		}
	}

	/** The effective settings of every queue: the defaults of {@link JobQueue} with these overrides. */
	JobQueues jobQueues() {
		var settings = new EnumMap<JobQueue, QueueSettings>(JobQueue.class);
		for (var queue : JobQueue.values()) {
			var d = queue.defaults();
			var o = overridesByQueue(queues).get(queue.key());
			settings.put(queue, o == null ? d
					: new QueueSettings(queue, or(o.concurrency(), d.concurrency()), or(o.retries(), d.retries()),
							or(o.backoff(), d.backoff()), or(o.backoffBase(), d.backoffBase()),
							or(o.priority(), d.priority())));
		}
		return new JobQueues(settings);
	}

	/** The overrides keyed by {@link JobQueue#key()}, whichever form of the key configuration used. */
	private static Map<String, QueueOverride> overridesByQueue(Map<String, QueueOverride> configured) {
		var byQueue = new LinkedHashMap<String, QueueOverride>();
		var keyUsed = new EnumMap<JobQueue, String>(JobQueue.class);
		configured.forEach((key, override) -> {
			var queue = queueOf(key, "helpdesk.queues");
			var earlier = keyUsed.put(queue, key);
			if (earlier != null) {
				throw new IllegalArgumentException("helpdesk.queues.%s and helpdesk.queues.%s both configure the queue %s: keep one"
					.formatted(earlier, key, queue.key()));
			}
			if (override != null) {
				byQueue.put(queue.key(), override);
			}
		});
		return Map.copyOf(byQueue);
	}

	/** The queue of a configuration key, with or without the dashes of {@link JobQueue#key()}, in any case. */
	static JobQueue queueOf(String key, String property) {
		var wanted = withoutDashes(key);
		for (var queue : JobQueue.values()) {
			if (withoutDashes(queue.key()).equals(wanted) || queue.queueName().equals(key)) {
				return queue;
			}
		}
		throw new IllegalArgumentException("%s: unknown queue '%s'; the queues are %s (environment variables: %s)"
			.formatted(property.equals("helpdesk.jobs.serve") ? property : property + "." + key, key,
					List.of(JobQueue.values()).stream().map(JobQueue::key).collect(Collectors.joining(", ")),
					List.of(JobQueue.values()).stream().map(q -> withoutDashes(q.key()).toUpperCase(Locale.ROOT))
						.collect(Collectors.joining(", "))));
	}

	private static String withoutDashes(String key) {
		return key.replace("-", "").toLowerCase(Locale.ROOT);
	}

	private static <T> T or(T value, T fallback) {
		return value == null ? fallback : value;
	}
}
