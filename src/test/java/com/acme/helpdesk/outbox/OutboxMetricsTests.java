package com.acme.helpdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.MutableClock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The outbox gauges count incomplete publications (completed ones not) and tell the age of the oldest by the injected
 * clock. Other tests may leave incomplete publications behind, so the figures are compared with a reading before.
 */
@HelpdeskTest
class OutboxMetricsTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void countsIncompletePublicationsAndTellsHowLongAgoTheOldestWasPublished() {
		var now = Instant.now();
		var before = readings(new MutableClock(now)).find("helpdesk.outbox.incomplete").gauge().value();
		var stale = UUID.randomUUID();
		var done = UUID.randomUUID();
		try {
			publication(stale, now.minus(Duration.ofDays(400)), null);
			publication(done, now.minus(Duration.ofDays(500)), now);

			var after = readings(new MutableClock(now));
			assertThat(after.find("helpdesk.outbox.incomplete").gauge().value())
				.isEqualTo(before + 1);
			assertThat(after.find("helpdesk.outbox.incomplete.oldest.age").timeGauge().value(TimeUnit.DAYS))
				.as("the incomplete one, not the older completed one").isCloseTo(400, within(0.001));
		}
		finally {
			jdbc.sql("DELETE FROM event_publication WHERE id IN (?, ?)").params(stale, done).update();
		}
	}

	private SimpleMeterRegistry readings(MutableClock clock) {
		var registry = new SimpleMeterRegistry();
		new OutboxMetrics(jdbc, clock).bindTo(registry);
		return registry;
	}

	private void publication(UUID id, Instant publishedAt, Instant completedAt) {
		jdbc.sql("""
				INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date, completion_date)
				VALUES (?, 'outbox.metrics-test', 'com.acme.helpdesk.outbox.Nothing', '{}', ?, ?)""")
			.params(id, Timestamp.from(publishedAt), completedAt == null ? null : Timestamp.from(completedAt))
			.update();
	}
}
