package com.acme.helpdesk.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobReruns;
import com.acme.helpdesk.shared.EventRedelivery;
import com.acme.helpdesk.shared.Purged;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;

/**
 * The purge of notifications, in whatever state (times long past, so only this test's rows are in reach), and the
 * start-up check of its window against the replays a notification row guards against.
 */
@HelpdeskTest
class NotificationRetentionTests {

	static final Instant NOW = Instant.parse("2001-01-01T00:00:00Z");
	static final Duration RETENTION = Duration.ofDays(90);

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EventRedelivery redelivery;

	@Autowired
	JobReruns reruns;

	@Test
	void deletesNotificationsPastTheRetentionWhateverTheirStateInBatchesAndNothingElse() {
		var merchant = api.newMerchant().id();
		var old = NOW.minus(RETENTION).minusSeconds(60);
		for (var state : new String[] { "PENDING", "COLLECTED", "SENT", "DIGESTED", "FAILED" }) {
			insert(merchant, state, old);
		}
		insert(merchant, "SENT", NOW.minus(RETENTION).plusSeconds(60));
		insert(merchant, "PENDING", NOW.minus(RETENTION).plusSeconds(60));
		var retention = new NotificationRetention(jdbc, properties(RETENTION, 2), redelivery, reruns,
				new MutableClock(NOW));

		assertThat(retention.purgeExpired()).isEqualTo(new Purged(5, 3));
		assertThat(count(merchant)).isEqualTo(2);
		assertThat(retention.purgeExpired()).isEqualTo(new Purged(0, 1));
		assertThat(count(merchant)).isEqualTo(2);
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = ?")
			.param(NotificationRetention.PURGE_JOB_ID)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aRetentionShorterThanAJobsRerunsStopsStartUpNamingTheSettings() {
		// longer than the outbox's redelivery (P7DT5M), shorter than a notification job's reruns (P17D and more)
		assertThatThrownBy(() -> new NotificationRetention(jdbc, properties(Duration.ofDays(10), 1000), redelivery,
				reruns, new MutableClock(NOW)))
			.hasMessageContaining("helpdesk.notifications.retention (P10D) is shorter than the longest time a job can run again")
			.hasMessageContaining("helpdesk.jobs.dead-letter-retention (P14D)");
	}

	private static NotificationProperties properties(Duration retention, int batchSize) {
		return new NotificationProperties("helpdesk@localhost", Duration.ofHours(1), Duration.ofSeconds(2),
				Duration.ofSeconds(5), retention, "47 * * * *", batchSize, null, 500);
	}

	private void insert(UUID merchantId, String state, Instant createdAt) {
		jdbc.sql("""
				INSERT INTO notification (id, merchant_id, recipient_kind, recipient, email, type, channel,
				    source_event_id, state, created_at)
				VALUES (?, ?, 'REQUESTER', 'ann@example.com', 'ann@example.com', 'STATUS_CHANGED', 'EMAIL', ?, ?, ?)""")
			.params(UUID.randomUUID(), merchantId, UUID.randomUUID(), state, Timestamp.from(createdAt))
			.update();
	}

	private long count(UUID merchantId) {
		return jdbc.sql("SELECT count(*) FROM notification WHERE merchant_id = ?")
			.param(merchantId)
			.query(Long.class)
			.single();
	}
}
