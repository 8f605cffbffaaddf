package com.acme.helpdesk.jobs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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
 * Each queue is a component of {@link Queues}, not a map key: Spring Boot binds a component from every spelling of
 * its name, so {@code helpdesk.queues.context-enrichment.concurrency} (or {@code contextenrichment}) in properties
 * and both {@code HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY} and {@code HELPDESK_QUEUES_CONTEXTENRICHMENT_CONCURRENCY}
 * in the environment reach it (a map key would lose the dash of the first variable). A setting under
 * {@code helpdesk.queues} that names no queue or no setting stops start-up ({@link #checkQueueKeys}), as does one
 * setting given in two spellings in one source.
 *
 * @param runMode {@code all} | {@code api} | {@code worker}
 * @param queues per queue, the values that replace the queue's defaults ({@link JobQueue})
 * @param jobs the queue servers of this process
 */
@Validated
@ConfigurationProperties("helpdesk")
record QueueProperties(@NotNull @DefaultValue("all") RunMode runMode, @NotNull @Valid @DefaultValue Queues queues,
		@NotNull @Valid @DefaultValue Jobs jobs) {

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

	/** One component per {@link JobQueue}, named after its key ({@code context-enrichment}: {@code contextEnrichment}). */
	record Queues(@Valid QueueOverride slaMonitor, @Valid QueueOverride escalation, @Valid QueueOverride assignment,
			@Valid QueueOverride notification, @Valid QueueOverride contextEnrichment,
			@Valid QueueOverride surveyTrigger, @Valid QueueOverride analyticsUpdate) {

		/** The queue's overrides; {@code null} when none is configured. */
		QueueOverride of(JobQueue queue) {
			return switch (queue) {
				case SLA_MONITOR -> slaMonitor;
				case ESCALATION -> escalation;
				case ASSIGNMENT -> assignment;
				case NOTIFICATION -> notification;
				case CONTEXT_ENRICHMENT -> contextEnrichment;
				case SURVEY_TRIGGER -> surveyTrigger;
				case ANALYTICS_UPDATE -> analyticsUpdate;
			};
		}
	}

	/**
	 * @param defaultConcurrency workers for jobs on no queue (maintenance jobs)
	 * @param serve the queues this process serves, by key (all when empty), e.g. to scale one queue apart
	 */
	record Jobs(@Min(1) @Max(1000) @DefaultValue("2") int defaultConcurrency, @DefaultValue List<String> serve) {

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

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("helpdesk.queues");

	/** The settings of a queue, as {@link QueueOverride} names them ({@code backoff-base}). */
	private static final List<String> SETTINGS = Arrays.stream(QueueOverride.class.getRecordComponents())
		.map(component -> component.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT))
		.toList();

	/**
	 * Stops start-up on a setting under {@code helpdesk.queues}, from whichever source, that names no queue or no
	 * setting of one (binding would silently drop it, and the queue would run with its default), and on one setting
	 * given twice in one source under two spellings (which one wins would be up to the source's order).
	 */
	static void checkQueueKeys(Iterable<ConfigurationPropertySource> sources) {
		for (var source : sources) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			var seen = new HashMap<String, ConfigurationPropertyName>();
			iterable.filter(ROOT::isAncestorOf).forEach(name -> {
				var setting = queueSetting(name);
				if (setting == null) {
					throw new InvalidConfigurationPropertyValueException(name.toString(), valueOf(source, name),
							"it names no setting of a queue: helpdesk.queues.<queue>.<setting> with a queue of "
									+ queueKeys() + " and a setting of " + SETTINGS + "; as environment variables "
									+ "HELPDESK_QUEUES_<QUEUE>_<SETTING>, e.g. HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY");
				}
				var earlier = seen.put(setting, name);
				if (earlier != null && !earlier.equals(name)) {
					throw new InvalidConfigurationPropertyValueException(name.toString(), valueOf(source, name),
							"%s and %s both set %s in one source (%s): keep one".formatted(earlier, name, setting,
									source.getUnderlyingSource()));
				}
			});
		}
	}

	/**
	 * {@code <queue key>.<setting>} for a name under {@code helpdesk.queues} that sets one, {@code null} otherwise. The
	 * queue's key and the setting are each one element (with or without their dashes) or split at their dashes, as
	 * an environment variable splits them ({@code HELPDESK_QUEUES_CONTEXT_ENRICHMENT_BACKOFF_BASE}).
	 */
	private static String queueSetting(ConfigurationPropertyName name) {
		var elements = new ArrayList<String>();
		for (int i = ROOT.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			elements.add(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL)
				.replaceAll("[^A-Za-z0-9]", "")
				.toLowerCase(Locale.ROOT));
		}
		for (var queue : JobQueue.values()) {
			for (var queueParts : spellings(queue.key())) {
				if (elements.size() <= queueParts.size() || !elements.subList(0, queueParts.size()).equals(queueParts)) {
					continue;
				}
				var rest = elements.subList(queueParts.size(), elements.size());
				for (var setting : SETTINGS) {
					if (spellings(setting).contains(rest)) {
						return queue.key() + "." + setting;
					}
				}
			}
		}
		return null;
	}

	/** A dashed name as one element or as its parts: {@code [contextenrichment]}, {@code [context, enrichment]}. */
	private static List<List<String>> spellings(String dashed) {
		return List.of(List.of(withoutDashes(dashed)), List.of(dashed.split("-")));
	}

	private static Object valueOf(ConfigurationPropertySource source, ConfigurationPropertyName name) {
		var property = source.getConfigurationProperty(name);
		return property == null ? null : property.getValue();
	}

	/** The effective settings of every queue: the defaults of {@link JobQueue} with these overrides. */
	JobQueues jobQueues() {
		var settings = new EnumMap<JobQueue, QueueSettings>(JobQueue.class);
		for (var queue : JobQueue.values()) {
			var d = queue.defaults();
			var o = queues.of(queue);
			settings.put(queue, o == null ? d
					: new QueueSettings(queue, or(o.concurrency(), d.concurrency()), or(o.retries(), d.retries()),
							or(o.backoff(), d.backoff()), or(o.backoffBase(), d.backoffBase()),
							or(o.priority(), d.priority())));
		}
		return new JobQueues(settings);
	}

	/** The queue of a key in {@code helpdesk.jobs.serve}, with or without the dashes of {@link JobQueue#key()}. */
	static JobQueue queueOf(String key, String property) {
		var wanted = withoutDashes(key);
		for (var queue : JobQueue.values()) {
			if (withoutDashes(queue.key()).equals(wanted) || queue.queueName().equals(key)) {
				return queue;
			}
		}
		throw new IllegalArgumentException("%s: unknown queue '%s'; the queues are %s".formatted(property, key, queueKeys()));
	}

	private static String queueKeys() {
		return Arrays.stream(JobQueue.values()).map(JobQueue::key).collect(Collectors.joining(", "));
	}

	private static String withoutDashes(String key) {
		return key.replace("-", "").toLowerCase(Locale.ROOT);
	}

	private static <T> T or(T value, T fallback) {
		return value == null ? fallback : value;
	}
}
