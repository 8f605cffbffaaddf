package com.acme.helpdesk.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.MutableClock;

/**
 * The purge of listeners' processed-event records: what is past the window goes, in batches, and nothing else; the
 * window may not be shorter than the outbox's redelivery. Times are a quarter of a century back, before any row other
 * tests write, so the purge touches only this test's rows.
 */
@HelpdeskTest
class ProcessedEventRetentionTests {

	static final Instant NOW = Instant.parse("2001-01-01T00:00:00Z");
	static final Duration RETENTION = Duration.ofDays(8);
	static final String LISTENER = "test.retention";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EventRedelivery redelivery;

	@AfterEach
	void removeTheRowsLeft() {
		jdbc.sql("DELETE FROM processed_event WHERE listener_id = ?").param(LISTENER).update();
	}

	@Test
	void deletesRecordsPastTheRetentionInBatchesAndNothingElseAndASecondRunNothing() {
		record(5, NOW.minus(RETENTION).minusSeconds(60));
		record(3, NOW.minus(RETENTION).plusSeconds(60));
		var retention = new ProcessedEventRetention(jdbc,
				new ProcessedEventProperties(RETENTION, "7 * * * *", 2), redelivery, new MutableClock(NOW));

		assertThat(retention.purgeExpired()).as("5 rows, at most 2 a statement").isEqualTo(new Purged(5, 3));
		assertThat(count()).as("the records inside the window").isEqualTo(3);
		assertThat(retention.purgeExpired()).isEqualTo(new Purged(0, 1));
		assertThat(count()).isEqualTo(3);
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = ?")
			.param(ProcessedEventRetention.PURGE_JOB_ID)
			.query(Long.class)
			.single()).as("one schedule for the cluster").isEqualTo(1);
	}

	@Test
	void aRetentionShorterThanTheOutboxsRedeliveryStopsStartUpNamingBothSettings() {
		assertThat(redelivery.window().length()).as("the defaults: P7D + PT5M").isEqualTo(Duration.parse("P7DT5M"));

		assertThatThrownBy(() -> new ProcessedEventRetention(jdbc,
				new ProcessedEventProperties(Duration.ofDays(7), "7 * * * *", 1000), redelivery, new MutableClock(NOW)))
			.hasMessageContaining("helpdesk.processed-events.retention (P7D) is shorter than")
			.hasMessageContaining("helpdesk.outbox.purge-incomplete-older-than (P7D) + helpdesk.outbox.resubmit-older-than (PT5M)")
			.hasMessageContaining("at least P7DT5M");
	}

	private void record(int rows, Instant processedAt) {
		for (int i = 0; i < rows; i++) {
			jdbc.sql("INSERT INTO processed_event (listener_id, event_id, processed_at) VALUES (?, ?, ?)")
				.params(LISTENER, UUID.randomUUID(), Timestamp.from(processedAt))
				.update();
		}
	}

	private long count() {
		return jdbc.sql("SELECT count(*) FROM processed_event WHERE listener_id = ?").param(LISTENER).query(Long.class).single();
	}
}
