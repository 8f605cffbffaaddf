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
			.contains("Property: helpdesk.queues[assignment].concurrency")
			.contains("Value: \"-1\"");
	}

	@Test
	void aNegativeConcurrencyFromAnEnvironmentVariableStopsStartUpNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of("HELPDESK_QUEUES_CONTEXTENRICHMENT_CONCURRENCY", "0")));

		assertThat(output).contains("Property: helpdesk.queues[contextenrichment].concurrency").contains("Value: \"0\"");
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
			.contains("helpdesk.queues.notifications: unknown queue 'notifications'")
			.contains("CONTEXTENRICHMENT");
	}

	@Test
	void anEnvironmentVariableWithTheQueuesDashesAsUnderscoresStopsStartUp(CapturedOutput output) {
		// HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY binds helpdesk.queues.context.enrichment.concurrency: a queue
		// "context" that does not exist; silently ignoring it would run the queue with its default
		assertThatThrownBy(() -> start(Map.of("HELPDESK_QUEUES_CONTEXT_ENRICHMENT_CONCURRENCY", "40")));

		assertThat(output).contains("helpdesk.queues.context: unknown queue 'context'");
	}

	@Test
	void oneQueueUnderBothKeysStopsStartUpNamingBoth(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of("HELPDESK_QUEUES_CONTEXTENRICHMENT_CONCURRENCY", "4"),
				"--helpdesk.queues.context-enrichment.concurrency=3"));

		assertThat(output).contains("helpdesk.queues.context-enrichment")
			.contains("helpdesk.queues.contextenrichment")
			.contains("both configure the queue context-enrichment");
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
	void dashedQueueKeysTakeEffectFromEnvironmentVariablesAndFromProperties() {
		try (var context = start(Map.of("HELPDESK_QUEUES_CONTEXTENRICHMENT_CONCURRENCY", "7",
				"HELPDESK_QUEUES_SURVEYTRIGGER_BACKOFF_BASE", "PT1S", "HELPDESK_QUEUES_SLAMONITOR_BACKOFF", "exponential",
				"HELPDESK_QUEUES_ASSIGNMENT_RETRIES", "9", "HELPDESK_RUN_MODE", "worker", "HELPDESK_JOBS_SERVE",
				"context-enrichment,surveytrigger"), "--helpdesk.queues.analytics-update.priority=2")) {
			var queues = context.getBean(JobQueues.class);

			assertThat(queues.settings(JobQueue.CONTEXT_ENRICHMENT).concurrency()).isEqualTo(7);
			assertThat(queues.settings(JobQueue.CONTEXT_ENRICHMENT).retries())
				.isEqualTo(JobQueue.CONTEXT_ENRICHMENT.defaults().retries());
			assertThat(queues.settings(JobQueue.SURVEY_TRIGGER).backoffBase()).isEqualTo(Duration.ofSeconds(1));
			assertThat(queues.settings(JobQueue.SLA_MONITOR).backoff()).isEqualTo(Backoff.EXPONENTIAL);
			assertThat(queues.settings(JobQueue.ASSIGNMENT).retries()).isEqualTo(9);
			assertThat(queues.settings(JobQueue.ANALYTICS_UPDATE).priority()).isEqualTo(2);
			assertThat(queues.settings(JobQueue.NOTIFICATION)).isEqualTo(JobQueue.NOTIFICATION.defaults());
			assertThat(context.getBean(RunMode.class)).isEqualTo(RunMode.WORKER);
			assertThat(context.getBean(QueueProperties.class).jobs().servedQueues())
				.containsExactlyInAnyOrder(JobQueue.CONTEXT_ENRICHMENT, JobQueue.SURVEY_TRIGGER);
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
