package com.acme.helpdesk.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * Not a test (run by hand): the SLA monitor's sweep over 1,000,000 open tickets' clocks (1,000,000 running resolution
 * clocks not due, 1,000,000 stopped first-response clocks) with 1,000, 10,000 and 100,000 of them due. Clock rows are
 * seeded with SQL. The application's own listeners subscribe to the events (notifications and the live pushes: an
 * outbox row each per event); the merchants have an escalation policy, so breaches open escalations. Prints the time
 * of the sweep's transaction (through its commit and the hand-over of the events to the listener threads), its
 * phases, and the outbox rows it wrote, for each figure.
 *
 * <pre>./mvnw -B test -Dtest=SlaSweepBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@HelpdeskTest
class SlaSweepBenchmark {

	static final int OPEN_TICKETS = Integer.getInteger("bench.tickets", 1_000_000);

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	SweepSlaClocks sweep;

	@Test
	void sweepTimeGrowsWithTheClocksDueNotWithTheOpenTickets() {
		var merchants = new ArrayList<UUID>();
		for (int i = 0; i < 10; i++) {
			var merchant = api.newMerchant();
			api.put("/api/v1/escalation-policy", merchant.adminKey(),
					Map.of("levels", List.of(Map.of("after", "PT0S", "action", "NOTIFY_SUPERVISOR"))));
			merchants.add(merchant.id());
		}
		var now = Instant.now();
		var seedStart = System.nanoTime();
		var merchantArray = merchants.stream().map(UUID::toString).toArray(String[]::new);
		jdbc.sql("""
				INSERT INTO sla_clock (id, merchant_id, ticket_id, metric, cycle, state, target_ms, warning_percent,
				  started_at, running_since, consumed_ms, paused_ms, warn_at, due_at, warned, breached, stopped_at,
				  last_change_at, version)
				SELECT gen_random_uuid(), (?::uuid[])[1 + i % 10], t.ticket_id, m.metric, 1,
				  CASE m.metric WHEN 'RESOLUTION' THEN 'RUNNING' ELSE 'STOPPED' END, 28800000, 80,
				  ?::timestamptz - interval '1 hour', ?::timestamptz - interval '1 hour', 0, 0,
				  ?::timestamptz + (i % 20000 + 60) * interval '1 second', ?::timestamptz + (i % 20000 + 3600) * interval '1 second',
				  FALSE, FALSE, CASE m.metric WHEN 'RESOLUTION' THEN NULL ELSE ?::timestamptz - interval '30 minutes' END,
				  ?::timestamptz - interval '1 hour', 0
				FROM generate_series(1, ?) AS i
				CROSS JOIN LATERAL (SELECT md5(?::text || i::text)::uuid AS ticket_id) t
				CROSS JOIN (VALUES ('FIRST_RESPONSE'), ('RESOLUTION')) AS m(metric)""")
			.params(merchantArray, ts(now), ts(now), ts(now), ts(now), ts(now), ts(now), OPEN_TICKETS, UUID.randomUUID().toString())
			.update();
		jdbc.sql("VACUUM ANALYZE sla_clock").update();
		System.out.printf("seeded %,d clocks of %,d open tickets in %d s%n", OPEN_TICKETS * 2L, OPEN_TICKETS,
				Duration.ofNanos(System.nanoTime() - seedStart).toSeconds());

		for (int due : List.of(1_000, 10_000, 100_000)) {
			// make `due` running clocks due now: warning fired earlier, due time passed
			jdbc.sql("""
					UPDATE sla_clock SET warned = TRUE, warn_at = ?::timestamptz - interval '2 minutes',
					  due_at = ?::timestamptz - interval '1 minute'
					WHERE id IN (SELECT id FROM sla_clock WHERE state = 'RUNNING' AND NOT warned AND NOT breached LIMIT ?)""")
				.params(ts(now), ts(now), due)
				.update();
			jdbc.sql("ANALYZE sla_clock").update();
			var rowsBefore = publicationRows();
			var load = loadAverage();
			var start = System.nanoTime();
			var phases = new Phases();
			var handled = transactions.execute(status -> {
				var n = sweep.sweep(now);
				phases.swept();
				TransactionSynchronizationManager.registerSynchronization(phases);
				return n;
			});
			phases.ended();
			var elapsed = Duration.ofNanos(System.nanoTime() - start);
			System.out.printf("SLA sweep: %,d clocks due of %,d open tickets -> %,d handled in %,d ms (%,.0f/s): %s; %,d outbox rows; load average before %s%n",
					due, OPEN_TICKETS, handled, elapsed.toMillis(), handled * 1000.0 / Math.max(1, elapsed.toMillis()), phases,
					publicationRows() - rowsBefore, load);
			org.assertj.core.api.Assertions.assertThat(handled).as("clocks handled by the sweep").isGreaterThanOrEqualTo(due);
			// let the after-commit listeners drain before the next figure
			try {
				org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
					.until(() -> jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL")
						.query(Long.class).single() == 0);
			}
			catch (org.awaitility.core.ConditionTimeoutException e) {
				System.out.println("listeners still busy after 3 minutes; going on");
			}
		}
		var plan = jdbc.sql("""
				EXPLAIN SELECT id FROM sla_clock WHERE state = 'RUNNING' AND NOT breached AND due_at <= now() AND warned
				ORDER BY due_at LIMIT 1000 FOR UPDATE SKIP LOCKED""").query(String.class).list();
		System.out.println("plan of the breach query:\n  " + String.join("\n  ", plan));
	}

	/** Where the sweep's transaction spends its time: the sweep, the commit (with the outbox rows), after it. */
	static class Phases implements TransactionSynchronization {

		private final long start = System.nanoTime();
		private long swept;
		private long commitStarted;
		private long committed;
		private long ended;

		void swept() {
			swept = System.nanoTime();
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			commitStarted = System.nanoTime();
		}

		@Override
		public void afterCommit() {
			committed = System.nanoTime();
		}

		void ended() {
			ended = System.nanoTime();
		}

		@Override
		public String toString() {
			return "sweep %d ms, outbox rows and commit %d ms, listeners handed to their threads %d ms".formatted(
					(swept - start) / 1_000_000, (committed - commitStarted) / 1_000_000,
					(ended - committed) / 1_000_000);
		}
	}

	private long publicationRows() {
		return jdbc.sql("SELECT count(*) FROM event_publication").query(Long.class).single();
	}

	private static java.sql.Timestamp ts(Instant instant) {
		return java.sql.Timestamp.from(instant);
	}

	private static String loadAverage() {
		try {
			return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
		}
		catch (java.io.IOException e) {
			return "?";
		}
	}
}
