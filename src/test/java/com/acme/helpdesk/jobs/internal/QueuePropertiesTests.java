package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import com.acme.helpdesk.jobs.Backoff;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.RunMode;

/**
 * The queue layer's settings ({@link QueueProperties}) as Spring Boot binds them when the service starts: the real
 * configuration class ({@link QueueSettingsConfiguration}) in a {@link SpringApplication} of its own, with the
 * application's {@code application.yml}, command-line arguments and a stand-in for the process environment. A bad
 * value stops start-up, and Boot's failure report names the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class QueuePropertiesTests {

	@Test
	void aNegativeConcurrencyStopsStartUpNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of(), "--helpdesk.queues.assignment.concurrency=-1"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: helpdesk.queues.assignment.concurrency")
			.contains("Value: \"-1\"");
	}

	@Test
	void aNegativeConcurrencyFromAnEnvironmentVariableStopsStartUpNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of("HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY", "0")));

		// Boot names a record's invalid component as the record has it
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: helpdesk.queues.contextEnrichment.concurrency")
			.contains("Value: \"0\"");
	}

	@Test
	void anUnparseableDurationStopsStartUpNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of(), "--helpdesk.queues.notification.backoff-base=soon"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: helpdesk.queues.notification.backoff-base")
			.contains("Value: \"soon\"");
	}

	@Test
	void anUnknownQueueKeyStopsStartUpNamingIt(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of(), "--helpdesk.queues.notifications.concurrency=3"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '3' for configuration property 'helpdesk.queues.notifications.concurrency'")
			.contains("it names no setting of a queue")
			.contains("context-enrichment")
			.contains("HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY");
	}

	@Test
	void anUnknownQueueOrSettingInAnEnvironmentVariableStopsStartUpNamingTheVariable(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of("HELPDESK_QUEUES_CONTEXT_ENRICHMNT_CONCURRENCY", "40")));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("'helpdesk.queues.context.enrichmnt.concurrency'")
			.contains("System Environment Property \"HELPDESK_QUEUES_CONTEXT_ENRICHMNT_CONCURRENCY\"")
			.contains("it names no setting of a queue");

		assertThatThrownBy(() -> start(Map.of("HELPDESK_QUEUES_NOTIFICATION_CONCURENCY", "40")));
		assertThat(output).contains("HELPDESK_QUEUES_NOTIFICATION_CONCURENCY");
	}

	@Test
	void oneSettingInTwoSpellingsOfOneSourceStopsStartUpNamingBoth(CapturedOutput output) {
		var environment = new java.util.LinkedHashMap<String, Object>();
		environment.put("HELPDESK_QUEUES_CONTEXTENRICHMENT_CONCURRENCY", "4");
		environment.put("HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY", "5");
		assertThatThrownBy(() -> start(environment));

		assertThat(output).contains("helpdesk.queues.contextenrichment.concurrency")
			.contains("helpdesk.queues.context.enrichment.concurrency")
			.contains("both set context-enrichment.concurrency in one source");
	}

	@Test
	void aCommandLineArgumentOverridesTheEnvironmentAsEverywhereInSpringBoot() {
		try (var context = start(Map.of("HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY", "4"),
				"--helpdesk.queues.context-enrichment.concurrency=3")) {
			assertThat(context.getBean(JobQueues.class).settings(JobQueue.CONTEXT_ENRICHMENT).concurrency()).isEqualTo(3);
		}
	}

	@Test
	void aBadRunModeStopsStartUpNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of("HELPDESK_RUN_MODE", "both")));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: helpdesk.run-mode")
			.contains("Value: \"both\"");
	}

	@Test
	void anUnknownServedQueueStopsStartUpNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of(), "--helpdesk.jobs.serve=notification,notifications"));

		assertThat(output).contains("helpdesk.jobs.serve: unknown queue 'notifications'");
	}

	@Test
	void everyQueueIncludingTheDashedOnesTakesItsSettingsFromEnvironmentVariablesInEitherSpelling() {
		try (var context = start(Map.of("HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY", "7",
				"HELPDESK_QUEUES_SURVEY_TRIGGER_BACKOFF_BASE", "PT1S", "HELPDESK_QUEUES_SLAMONITOR_BACKOFF", "exponential",
				"HELPDESK_QUEUES_ANALYTICS_UPDATE_RETRIES", "8", "HELPDESK_QUEUES_ASSIGNMENT_RETRIES", "9",
				"HELPDESK_QUEUES_SLA_MONITOR_PRIORITY", "3", "HELPDESK_RUN_MODE", "worker", "HELPDESK_JOBS_SERVE",
				"context-enrichment,surveytrigger"))) {
			var queues = context.getBean(JobQueues.class);

			assertThat(queues.settings(JobQueue.CONTEXT_ENRICHMENT).concurrency()).isEqualTo(7);
			assertThat(queues.settings(JobQueue.CONTEXT_ENRICHMENT).retries())
				.isEqualTo(JobQueue.CONTEXT_ENRICHMENT.defaults().retries());
			assertThat(queues.settings(JobQueue.SURVEY_TRIGGER).backoffBase()).isEqualTo(Duration.ofSeconds(1));
			assertThat(queues.settings(JobQueue.SLA_MONITOR).backoff()).isEqualTo(Backoff.EXPONENTIAL);
			assertThat(queues.settings(JobQueue.SLA_MONITOR).priority()).isEqualTo(3);
			assertThat(queues.settings(JobQueue.ANALYTICS_UPDATE).retries()).isEqualTo(8);
			assertThat(queues.settings(JobQueue.ASSIGNMENT).retries()).isEqualTo(9);
			assertThat(queues.settings(JobQueue.NOTIFICATION)).isEqualTo(JobQueue.NOTIFICATION.defaults());
			assertThat(context.getBean(RunMode.class)).isEqualTo(RunMode.WORKER);
			assertThat(context.getBean(QueueProperties.class).jobs().servedQueues())
				.containsExactlyInAnyOrder(JobQueue.CONTEXT_ENRICHMENT, JobQueue.SURVEY_TRIGGER);
		}
	}

	@Test
	void everyQueueIncludingTheDashedOnesTakesItsSettingsFromPropertiesWithOrWithoutDashes() {
		try (var context = start(Map.of(), "--helpdesk.queues.context-enrichment.concurrency=11",
				"--helpdesk.queues.context-enrichment.backoff-base=PT3S", "--helpdesk.queues.surveytrigger.retries=1",
				"--helpdesk.queues.analytics-update.priority=2", "--helpdesk.queues.sla-monitor.backoff=exponential")) {
			var queues = context.getBean(JobQueues.class);

			assertThat(queues.settings(JobQueue.CONTEXT_ENRICHMENT).concurrency()).isEqualTo(11);
			assertThat(queues.settings(JobQueue.CONTEXT_ENRICHMENT).backoffBase()).isEqualTo(Duration.ofSeconds(3));
			assertThat(queues.settings(JobQueue.SURVEY_TRIGGER).retries()).isEqualTo(1);
			assertThat(queues.settings(JobQueue.ANALYTICS_UPDATE).priority()).isEqualTo(2);
			assertThat(queues.settings(JobQueue.SLA_MONITOR).backoff()).isEqualTo(Backoff.EXPONENTIAL);
		}
	}

	@Test
	void withNothingSetEveryQueueHasItsDefaultsAndTheProcessRunsEverything() {
		try (var context = start(Map.of())) {
			var queues = context.getBean(JobQueues.class);

			for (var queue : JobQueue.values()) {
				assertThat(queues.settings(queue)).isEqualTo(queue.defaults());
			}
			assertThat(context.getBean(RunMode.class)).isEqualTo(RunMode.ALL);
			assertThat(context.getBean(QueueProperties.class).jobs().servedQueues()).containsExactlyInAnyOrder(JobQueue.values());
			assertThat(context.getBean(QueueProperties.class).jobs().defaultConcurrency()).isEqualTo(2);
		}
	}

	/** Starts the configuration with {@code environment} as the process's environment variables (and no others). */
	private static ConfigurableApplicationContext start(Map<String, Object> environmentVariables, String... arguments) {
		var environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
		var application = new SpringApplication(QueueSettingsConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setEnvironment(environment);
		return application.run(arguments);
	}
}
