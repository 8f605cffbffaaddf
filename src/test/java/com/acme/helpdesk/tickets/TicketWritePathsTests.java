package com.acme.helpdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.shared.ConflictException;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;

/**
 * A ticket's assignment is written two ways, through the entity ({@link TicketService#assign}, a manual assignment)
 * and by a targeted SQL update ({@link TicketAssignments#assign}, every automatic one); enrichment only by SQL. Both
 * follow the aggregate's rules and publish the version their change commits with.
 */
@HelpdeskTest
@RecordApplicationEvents
class TicketWritePathsTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TicketService entityPath;

	@Autowired
	TicketAssignments sqlPath;

	@Autowired
	EnrichTicketContext enrichTicketContext;

	@Autowired
	ApplicationEvents events;

	@Test
	void aClosedTicketIsAssignedThroughNeitherPath() {
		var merchant = api.newMerchant();
		var agent = agent(merchant);
		var ticket = api.newTicket(merchant);
		var closed = api.post("/api/v1/tickets/" + ticket + "/status", merchant.adminKey(),
				Map.of("status", "CLOSED", "reason", "duplicate"));
		assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
		var version = version(ticket);

		assertThatThrownBy(() -> entityPath.assign(merchant.id(), ticket, agent, AssignmentReason.manual()))
			.isInstanceOf(ConflictException.class);
		assertThatThrownBy(() -> sqlPath.assign(merchant.id(), ticket, agent, new AssignmentReason("LOAD_BALANCED", 0, 5, null)))
			.isInstanceOf(ConflictException.class);

		assertThat(version(ticket)).isEqualTo(version);
		assertThat(assignee(ticket)).isNull();
		assertThat(events.stream(TicketAssigned.class)).isEmpty();
	}

	@Test
	void assigningToTheCurrentAssigneeChangesNothingThroughEitherPath() {
		var merchant = api.newMerchant();
		var agent = agent(merchant);
		var ticket = api.newTicket(merchant);
		sqlPath.assign(merchant.id(), ticket, agent, new AssignmentReason("LOAD_BALANCED", 0, 5, null));
		var version = version(ticket);

		entityPath.assign(merchant.id(), ticket, agent, AssignmentReason.manual());
		sqlPath.assign(merchant.id(), ticket, agent, new AssignmentReason("ROUND_ROBIN", 1, 5, null));

		assertThat(version(ticket)).isEqualTo(version);
		assertThat(strategy(ticket)).isEqualTo("LOAD_BALANCED");
		assertThat(events.stream(TicketAssigned.class)).singleElement()
			.satisfies(event -> assertThat(event.ticketVersion()).isEqualTo(version));
	}

	@Test
	void eitherPathPublishesTicketAssignedWithThePreviousAgentAndTheVersionItCommitsWith() {
		var merchant = api.newMerchant();
		var first = agent(merchant);
		var second = agent(merchant);
		var ticket = api.newTicket(merchant);

		sqlPath.assign(merchant.id(), ticket, first, new AssignmentReason("LOAD_BALANCED", 0, 5, null));
		var afterSql = version(ticket);
		entityPath.assign(merchant.id(), ticket, second, AssignmentReason.manual());
		var afterEntity = version(ticket);
		sqlPath.assign(merchant.id(), ticket, first, new AssignmentReason("ESCALATION", null, null, null));
		var afterSqlAgain = version(ticket);

		assertThat(afterSql).isLessThan(afterEntity);
		assertThat(afterEntity).isLessThan(afterSqlAgain);
		assertThat(events.stream(TicketAssigned.class))
			.extracting(TicketAssigned::agentId, TicketAssigned::previousAgentId, TicketAssigned::strategy,
					TicketAssigned::ticketVersion)
			.containsExactly(
					tuple(first, null, "LOAD_BALANCED", afterSql),
					tuple(second, first, "MANUAL", afterEntity),
					tuple(first, second, "ESCALATION", afterSqlAgain));
		assertThat(assignee(ticket)).isEqualTo(first);
	}

	@Test
	void theEnrichmentPublishesTicketContextEnrichedWithTheVersionItCommitsWith() throws Exception {
		var merchant = api.newMerchant();
		var ticket = api.newTicket(merchant);
		var before = version(ticket);

		enrichTicketContext.run(new ContextEnrichmentJob(merchant.id(), ticket),
				new JobRun(UUID.randomUUID(), "job:" + UUID.randomUUID(), JobQueue.CONTEXT_ENRICHMENT, "enrich", 1));

		var after = version(ticket);
		assertThat(after).isEqualTo(before + 1);
		var enrichedAt = jdbc.sql("SELECT enrichment ->> 'enrichedAt' FROM ticket WHERE id = ?").param(ticket)
			.query(String.class).single();
		assertThat(events.stream(TicketContextEnriched.class)).singleElement().satisfies(event -> {
			assertThat(event.ticketId()).isEqualTo(ticket);
			assertThat(event.merchantId()).isEqualTo(merchant.id());
			assertThat(event.ticketVersion()).isEqualTo(after);
			assertThat(event.occurredAt().toString()).isEqualTo(enrichedAt);
		});
	}

	private UUID agent(Merchant merchant) {
		var email = "agent-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		var response = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Agent", "email", email, "capacity", 5, "availability", "OFFLINE"));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private long version(UUID ticket) {
		return jdbc.sql("SELECT version FROM ticket WHERE id = ?").param(ticket).query(Long.class).single();
	}

	private UUID assignee(UUID ticket) {
		return jdbc.sql("SELECT assignee_id FROM ticket WHERE id = ?").param(ticket).query(UUID.class).optional()
			.orElse(null);
	}

	private String strategy(UUID ticket) {
		return jdbc.sql("SELECT assignment_reason ->> 'strategy' FROM ticket WHERE id = ?").param(ticket)
			.query(String.class).single();
	}
}
