package com.acme.helpdesk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The back-off formula and the queue definitions of docs/queues.md, without a Spring context. */
class JobQueueDefaultsTests {

	@Test
	void exponentialBackoffDoublesFromItsBaseAndFixedBackoffKeepsIt() {
		assertThat(delays(Backoff.EXPONENTIAL, Duration.ofSeconds(5), 5)).containsExactly(seconds(5, 10, 20, 40, 80));
		assertThat(delays(Backoff.EXPONENTIAL, Duration.ofSeconds(10), 3)).containsExactly(seconds(10, 20, 40));
		assertThat(delays(Backoff.EXPONENTIAL, Duration.ofMillis(200), 3)).containsExactly(Duration.ofMillis(200),
				Duration.ofMillis(400), Duration.ofMillis(800));
		assertThat(delays(Backoff.FIXED, Duration.ofSeconds(60), 3)).containsExactly(seconds(60, 60, 60));
		// capped at 2^20 times the base instead of overflowing
		assertThat(Backoff.EXPONENTIAL.delay(Duration.ofSeconds(1), 64)).isEqualTo(Duration.ofSeconds(1 << 20));
		assertThatThrownBy(() -> Backoff.FIXED.delay(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void queuesHaveTheNamesJobNamesConcurrencyRetriesBackoffAndPrioritiesOfTheSpec() {
		record Expected(String name, int concurrency, int retries, Backoff backoff, Duration base, List<String> jobNames) {
		}
		var expected = Map.of(
				JobQueue.SLA_MONITOR, new Expected("helpdesk.sla-monitor", 1, 2, Backoff.FIXED, Duration.ofSeconds(60),
						List.of("sla-monitor")),
				JobQueue.ESCALATION, new Expected("helpdesk.escalation", 5, 3, Backoff.EXPONENTIAL, Duration.ofSeconds(5),
						List.of("escalation", "escalation-batch")),
				JobQueue.ASSIGNMENT, new Expected("helpdesk.assignment", 5, 3, Backoff.EXPONENTIAL, Duration.ofSeconds(5),
						List.of("assign", "assign-waiting")),
				JobQueue.NOTIFICATION, new Expected("helpdesk.notification", 10, 5, Backoff.EXPONENTIAL,
						Duration.ofSeconds(5), List.of("notification", "notification-batch", "notification-digest")),
				JobQueue.CONTEXT_ENRICHMENT, new Expected("helpdesk.context-enrichment", 30, 3, Backoff.EXPONENTIAL,
						Duration.ofSeconds(5), List.of("enrich")),
				JobQueue.SURVEY_TRIGGER, new Expected("helpdesk.survey-trigger", 3, 3, Backoff.EXPONENTIAL,
						Duration.ofSeconds(10), List.of("survey-trigger")));
		for (var entry : expected.entrySet()) {
			var queue = entry.getKey();
			var want = entry.getValue();
			var defaults = queue.defaults();
			assertThat(queue.queueName()).isEqualTo(want.name());
			assertThat(queue.jobNames()).as(want.name()).isEqualTo(want.jobNames());
			assertThat(defaults.queue()).isSameAs(queue);
			assertThat(defaults.concurrency()).as(want.name() + " concurrency").isEqualTo(want.concurrency());
			assertThat(defaults.retries()).as(want.name() + " retries").isEqualTo(want.retries());
			assertThat(defaults.backoff()).as(want.name() + " backoff").isEqualTo(want.backoff());
			assertThat(defaults.backoffBase()).as(want.name() + " backoff base").isEqualTo(want.base());
			assertThat(JobQueue.ofName(want.name())).isSameAs(queue);
			assertThat(JobQueue.ofName(queue.key())).isSameAs(queue);
		}
		assertThat(JobQueue.ANALYTICS_UPDATE.queueName()).isEqualTo("helpdesk.analytics-update");
		assertThatThrownBy(() -> JobQueue.ofName("helpdesk.nope")).isInstanceOf(IllegalArgumentException.class);

		// escalation first (1, high), notification last (10, low), the rest in between
		assertThat(JobQueue.ESCALATION.defaults().priority()).isEqualTo(1);
		assertThat(JobQueue.NOTIFICATION.defaults().priority()).isEqualTo(10);
		for (var queue : List.of(JobQueue.SLA_MONITOR, JobQueue.ASSIGNMENT, JobQueue.CONTEXT_ENRICHMENT,
				JobQueue.SURVEY_TRIGGER)) {
			assertThat(queue.defaults().priority()).as(queue.queueName()).isBetween(2, 9);
		}
	}

	@Test
	void effectiveSettingsFallBackToTheDefaultsAndRefuseImpossibleValues() {
		var faster = new QueueSettings(JobQueue.NOTIFICATION, 20, 1, Backoff.FIXED, Duration.ofMillis(200), 10);
		var queues = new JobQueues(Map.of(JobQueue.NOTIFICATION, faster));
		assertThat(queues.settings(JobQueue.NOTIFICATION)).isSameAs(faster);
		assertThat(queues.settings(JobQueue.ESCALATION)).isEqualTo(JobQueue.ESCALATION.defaults());
		assertThatThrownBy(() -> new QueueSettings(JobQueue.ESCALATION, 0, 3, Backoff.FIXED, Duration.ZERO, 1))
			.hasMessageContaining("helpdesk.escalation").hasMessageContaining("concurrency");
		assertThatThrownBy(() -> new QueueSettings(JobQueue.ESCALATION, 1, -1, Backoff.FIXED, Duration.ZERO, 1))
			.hasMessageContaining("retries");
	}

	private static List<Duration> delays(Backoff backoff, Duration base, int retries) {
		return IntStream.rangeClosed(1, retries).mapToObj(retry -> backoff.delay(base, retry)).toList();
	}

	private static Duration[] seconds(long... values) {
		return java.util.Arrays.stream(values).mapToObj(Duration::ofSeconds).toArray(Duration[]::new);
	}
}
