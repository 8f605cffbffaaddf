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

import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.WorkingHelpdeskTest;
import com.acme.helpdesk.tickets.TicketAssigned;

/**
 * Not a timed test (not run by {@code mvn test}): prints the in-app notification throughput end to end, from the
 * committed event through the outbox listener, the {@code notification} job and its delivery to the stored, sent
 * in-app notification. Run with {@code ./mvnw -B test -Dtest=NotificationThroughputBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark.events=5000}.
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

	@Test
	void printsInAppNotificationThroughput() {
		var total = Integer.getInteger("benchmark.events", 3000);
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
		var started = Instant.now();
		for (int batch = 0; batch < total / 100; batch++) {
			var offset = batch * 100;
			transactions.executeWithoutResult(status -> {
				for (int i = offset; i < offset + 100; i++) {
					var ticket = tickets.get(i % tickets.size());
					events.publishEvent(new TicketAssigned(UUID.randomUUID(), ticket.id(), merchant.id(),
							agents.get(i % agents.size()).id(), null, "MANUAL", Instant.now()));
				}
			});
		}
		var published = Duration.between(started, Instant.now());
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc
			.sql("SELECT count(*) FROM notification WHERE merchant_id = ? AND state = 'SENT'")
			.param(merchant.id())
			.query(Long.class)
			.single() >= (total / 100) * 100);
		var elapsed = Duration.between(started, Instant.now());
		var stored = jdbc.sql("SELECT count(*) FROM notification WHERE merchant_id = ? AND created_at <= ?")
			.params(merchant.id(), java.sql.Timestamp.from(Instant.now()))
			.query(Long.class)
			.single();
		System.out.printf("in-app notifications: %d events published in %d ms; %d notifications stored and delivered "
				+ "in %d ms: %.0f notifications/s end to end%n", (total / 100) * 100, published.toMillis(), stored,
				elapsed.toMillis(), stored * 1000.0 / elapsed.toMillis());
	}
}
