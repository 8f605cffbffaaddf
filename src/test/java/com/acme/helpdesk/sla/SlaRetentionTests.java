package com.acme.helpdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.shared.ProcessedEventProperties;
import com.acme.helpdesk.shared.Purged;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.MutableClock;

/** The purge of this module's processed-event records (times long past, so only this test's rows are in reach). */
@HelpdeskTest
class SlaRetentionTests {

	static final Instant NOW = Instant.parse("2001-01-01T00:00:00Z");
	static final Duration RETENTION = Duration.ofDays(8);
	static final String LISTENER = "test.retention";

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void removeTheRowsLeft() {
		jdbc.sql("DELETE FROM sla_processed_event WHERE listener_id = ?").param(LISTENER).update();
	}

	@Test
	void deletesRecordsPastTheSharedRetentionInBatchesAndNothingElseAndASecondRunNothing() {
		record(3, NOW.minus(RETENTION).minusSeconds(1));
		record(2, NOW.minus(RETENTION).plusSeconds(60));
		var retention = new SlaRetention(jdbc, new ProcessedEventProperties(RETENTION, "7 * * * *", 2),
				new MutableClock(NOW));

		assertThat(retention.purgeExpired()).isEqualTo(new Purged(3, 2));
		assertThat(count()).isEqualTo(2);
		assertThat(retention.purgeExpired()).isEqualTo(new Purged(0, 1));
		assertThat(count()).isEqualTo(2);
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = ?")
			.param(SlaRetention.PURGE_JOB_ID)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private void record(int rows, Instant processedAt) {
		for (int i = 0; i < rows; i++) {
			jdbc.sql("INSERT INTO sla_processed_event (listener_id, event_id, processed_at) VALUES (?, ?, ?)")
				.params(LISTENER, UUID.randomUUID(), Timestamp.from(processedAt))
				.update();
		}
	}

	private long count() {
		return jdbc.sql("SELECT count(*) FROM sla_processed_event WHERE listener_id = ?")
			.param(LISTENER)
			.query(Long.class)
			.single();
	}
}
