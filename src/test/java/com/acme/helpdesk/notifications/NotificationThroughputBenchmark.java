package com.acme.helpdesk.notifications;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.support.CpuUsage;
import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.WorkingHelpdeskTest;
import com.acme.helpdesk.tickets.TicketAssigned;

/**
 * Not a timed test (not run by {@code mvn test}): prints the in-app notification throughput end to end, from the
 * committed event through the outbox listener, the {@code notification} job and its delivery to the stored, sent
 * in-app notification. Run with {@code ./mvnw -B test -Dtest=NotificationThroughputBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark.events=5000}; warm-up rounds of {@code -Dbenchmark.warmup=3000}
 * events for other merchants go first, up to {@code -Dbenchmark.warmup-rounds} of them (default 1), until the JIT
 * compilers take less than a tenth of the JVM's CPU in one, so that the figures are of compiled code: on 2 cores the
 * one C2 compiler thread takes a few minutes to get through the methods this work makes hot.
 */
@WorkingHelpdeskTest
class NotificationThroughputBenchmark {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	/** Warm-up rounds (up to {@code -Dbenchmark.warmup-rounds}) end once the JIT compilers take less of the JVM. */
	static final double JIT_SETTLED = 0.10;

	@Test
	void printsInAppNotificationThroughput() {
		var warmup = Integer.getInteger("benchmark.warmup", 3000);
		var total = Integer.getInteger("benchmark.events", 3000);
		var maxWarmupRounds = Integer.getInteger("benchmark.warmup-rounds", 1);
		for (int i = 1; warmup > 0 && i <= maxWarmupRounds; i++) {
			var round = round(warmup);
			System.out.printf("warm-up round %d: %d notifications/s end to end (not counted); %s%n", i, round.perSecond(),
					round.cpu().jit());
			if (round.cpu().compilerShare() < JIT_SETTLED) {
				break;
			}
		}
		var round = round(total);
		System.out.printf("in-app notifications: %d events published in %d ms; %d notifications stored and delivered "
				+ "in %d ms: %d notifications/s end to end%n", round.events(), round.published().toMillis(),
				round.stored(), round.elapsed().toMillis(), round.perSecond());
		System.out.printf("CPU per notification: %s; load average %s; CPU reference (SHA-256 of 256 MB) %.0f ms before, "
				+ "%.0f ms after%nbusiest JVM threads: %s%n%s%n", round.cpu().per(round.stored()), CpuUsage.loadAverage(),
				round.referenceBefore(), round.referenceAfter(), round.cpu().busiestThreads(8), round.cpu().jit());
	}

	record Round(int events, Duration published, long stored, Duration elapsed, CpuUsage cpu, double referenceBefore,
			double referenceAfter) {

		long perSecond() {
			return Math.round(stored * 1000.0 / Math.max(1, elapsed.toMillis()));
		}
	}

	/** {@code total} assignments (rounded down to hundreds) for a new merchant's 10 agents, to stored notifications. */
	private Round round(int total) {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var agents = new ArrayList<Scenarios.Agent>();
		for (int i = 0; i < 10; i++) {
			var agent = given.agent(merchant, Scenarios.domain());
			api.put("/api/v1/notification-preferences", agent.key(), Map.of("types",
					Map.of("TICKET_ASSIGNED", Map.of("channels", List.of("IN_APP"), "delivery", "IMMEDIATE"))));
			agents.add(agent);
		}
		var tickets = new ArrayList<Scenarios.Ticket>();
		for (int i = 0; i < 20; i++) {
			tickets.add(given.ticket(merchant, Scenarios.domain()));
		}
		var count = (total / 100) * 100;
		var referenceBefore = CpuUsage.referenceMillis();
		var cpuBefore = CpuUsage.now();
		var started = Instant.now();
		for (int batch = 0; batch < count / 100; batch++) {
			var offset = batch * 100;
			transactions.executeWithoutResult(status -> {
				for (int i = offset; i < offset + 100; i++) {
					var ticket = tickets.get(i % tickets.size());
					events.publishEvent(new TicketAssigned(UUID.randomUUID(), ticket.id(), merchant.id(),
							agents.get(i % agents.size()).id(), null, "MANUAL", Instant.now(), 1));
				}
			});
		}
		var published = Duration.between(started, Instant.now());
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc
			.sql("SELECT count(*) FROM notification WHERE merchant_id = ? AND state = 'SENT'")
			.param(merchant.id())
			.query(Long.class)
			.single() >= count);
		var elapsed = Duration.between(started, Instant.now());
		var cpu = CpuUsage.now().since(cpuBefore);
		var referenceAfter = CpuUsage.referenceMillis();
		var stored = jdbc.sql("SELECT count(*) FROM notification WHERE merchant_id = ?")
			.param(merchant.id())
			.query(Long.class)
			.single();
		return new Round(count, published, stored, elapsed, cpu, referenceBefore, referenceAfter);
	}
}
