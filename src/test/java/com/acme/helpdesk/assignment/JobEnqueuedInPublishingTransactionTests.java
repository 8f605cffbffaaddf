package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.tickets.Priority;
import com.acme.helpdesk.tickets.RoutingStrategy;
import com.acme.helpdesk.tickets.TicketCreated;

/**
 * The {@code assign} job of a new ticket is written by a synchronous listener in the transaction that creates the
 * ticket: the job row is the outbox record, so it exists exactly when that transaction commits, and the listener has
 * no event publication of its own (Spring Modulith records publications for after-commit transactional listeners
 * only).
 */
@HelpdeskTest
class JobEnqueuedInPublishingTransactionTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	ApplicationEventPublisher events;

	@Test
	void theAssignJobDisappearsWithARolledBackTransactionAndExistsAfterACommittedOne() {
		var merchant = api.newMerchant();
		var rolledBack = ticketCreated(merchant.id());
		assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
			events.publishEvent(rolledBack);
			assertThat(jobState(rolledBack)).as("written in the caller's transaction").isEqualTo("ENQUEUED");
			throw new IllegalStateException("the ticket's transaction fails after the listener ran");
		})).isInstanceOf(IllegalStateException.class);
		assertThat(jobState(rolledBack)).as("gone with the rollback").isNull();

		var committed = ticketCreated(merchant.id());
		transactions.executeWithoutResult(status -> events.publishEvent(committed));
		assertThat(jobState(committed)).isEqualTo("ENQUEUED");
		assertThat(publicationsOf(committed)).as("every listener of TicketCreated runs in the publishing transaction")
			.isEmpty();
		// its ticket does not exist: the job would end as a dead letter in the job servers of later test classes
		jdbc.sql("DELETE FROM jobrunr_jobs WHERE id = ?").param(jobId(committed).toString()).update();
	}

	@Test
	void aNewTicketOfAnAutomaticCategoryHasItsJobsButNoPublications() {
		var merchant = api.newMerchant();
		var category = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Billing", "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id").asText();
		var ticket = api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Refund",
				"requester", Map.of("email", "ann@example.com"), "categoryId", category, "context", Map.of("order", 42)));
		assertThat(ticket.status()).isEqualTo(201);
		var ticketId = ticket.body().get("id").asText();

		assertThat(jdbc.sql("SELECT jobSignature FROM jobrunr_jobs WHERE jobAsJson LIKE ?")
			.param("%" + ticketId + "%")
			.query(String.class)
			.list()).as("the assign and enrich jobs, committed with the ticket").hasSize(2);
		assertThat(jdbc.sql("SELECT listener_id FROM event_publication WHERE serialized_event LIKE ?")
			.param("%\"ticketId\":\"" + ticketId + "\"%")
			.query(String.class)
			.list()).as("no publication for TicketCreated, none for the live pushes").isEmpty();
	}

	@Test
	void theSynchronousListenersRefuseToRunOutsideATransaction() {
		assertThatThrownBy(() -> events.publishEvent(ticketCreated(UUID.randomUUID())))
			.isInstanceOf(IllegalTransactionStateException.class);
	}

	private static TicketCreated ticketCreated(UUID merchantId) {
		return new TicketCreated(UUID.randomUUID(), UUID.randomUUID(), merchantId, 1, "Parcel missing", null, List.of(),
				Priority.MEDIUM, RoutingStrategy.LOAD_BALANCED, null, null, Instant.now(), 0);
	}

	private static UUID jobId(TicketCreated event) {
		return AssignmentJob.assign(event.merchantId(), event.ticketId())
			.derivedFrom(AssignmentListeners.ENQUEUE_ASSIGNMENT, event.eventId())
			.id();
	}

	private String jobState(TicketCreated event) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?").param(jobId(event).toString()).query(String.class)
			.optional().orElse(null);
	}

	private Map<String, Long> publicationsOf(TicketCreated event) {
		var counts = new java.util.TreeMap<String, Long>();
		jdbc.sql("SELECT listener_id, count(*) FROM event_publication WHERE serialized_event LIKE ? GROUP BY listener_id")
			.param("%" + event.eventId() + "%")
			.query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
			.list();
		return counts;
	}
}
