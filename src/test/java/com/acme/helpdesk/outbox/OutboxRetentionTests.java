package com.acme.helpdesk.outbox;

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
import org.springframework.modulith.events.IncompleteEventPublications;

import com.acme.helpdesk.shared.Purged;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.MutableClock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The outbox's two purges: completed publications after {@code purge-completed-older-than}, incomplete ones given up
 * after {@code purge-incomplete-older-than} (counted). Times long past, so only this test's rows are in reach.
 */
@HelpdeskTest
class OutboxRetentionTests {

	static final Instant NOW = Instant.parse("2001-01-01T00:00:00Z");
	static final Duration WINDOW = Duration.ofDays(7);
	static final String LISTENER = "test.retention";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	IncompleteEventPublications incomplete;

	@AfterEach
	void removeTheRowsLeft() {
		jdbc.sql("DELETE FROM event_publication WHERE listener_id = ?").param(LISTENER).update();
	}

	@Test
	void purgesCompletedPublicationsAndGivesUpIncompleteOnesPastTheirWindowsInBatchesAndNothingElse() {
		var past = NOW.minus(WINDOW).minusSeconds(60);
		var inside = NOW.minus(WINDOW).plusSeconds(60);
		for (int i = 0; i < 3; i++) {
			publication(past.minusSeconds(5), past);
			publication(past, null);
		}
		var completedInside = publication(past, inside);
		var incompleteInside = publication(inside, null);
		var meters = new SimpleMeterRegistry();
		var maintenance = new OutboxMaintenance(incomplete, jdbc, properties(2), new MutableClock(NOW), meters);

		assertThat(maintenance.purgeCompleted()).isEqualTo(new Purged(3, 2));
		assertThat(maintenance.giveUpIncomplete()).isEqualTo(new Purged(3, 2));
		assertThat(meters.counter("helpdesk.outbox.publications.given.up").count()).isEqualTo(3);
		assertThat(jdbc.sql("SELECT id FROM event_publication WHERE listener_id = ?").param(LISTENER).query(UUID.class).set())
			.as("completed inside the window (whenever published), or published inside it")
			.containsExactlyInAnyOrder(completedInside, incompleteInside);

		assertThat(maintenance.purgeCompleted()).isEqualTo(new Purged(0, 1));
		assertThat(maintenance.giveUpIncomplete()).isEqualTo(new Purged(0, 1));
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id IN (?, ?)")
			.params(OutboxMaintenance.PURGE_JOB_ID, OutboxMaintenance.GIVE_UP_JOB_ID)
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	@Test
	void anIncompletePublicationIsGivenUpOnlyAfterItWasResubmitted() {
		assertThatThrownBy(() -> new OutboxProperties("* * * * *", Duration.ofMinutes(5), "17 * * * *", WINDOW,
				Duration.ofMinutes(9), 1000))
			.hasMessageContaining("helpdesk.outbox.purge-incomplete-older-than (PT9M) must be at least twice helpdesk.outbox.resubmit-older-than (PT5M)");
	}

	private static OutboxProperties properties(int batchSize) {
		return new OutboxProperties("* * * * *", Duration.ofMinutes(5), "17 * * * *", WINDOW, WINDOW, batchSize);
	}

	private UUID publication(Instant published, Instant completed) {
		var id = UUID.randomUUID();
		jdbc.sql("""
				INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date, completion_date)
				VALUES (?, ?, 'com.acme.helpdesk.tickets.TicketCreated', '{}', ?, ?)""")
			.params(id, LISTENER, Timestamp.from(published), completed == null ? null : Timestamp.from(completed))
			.update();
		return id;
	}
}
