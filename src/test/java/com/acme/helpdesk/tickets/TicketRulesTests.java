package com.acme.helpdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.acme.helpdesk.shared.ConflictException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The rules of the changes written by a targeted SQL update, as {@link Ticket} states them for both write paths. */
class TicketRulesTests {

	static final Instant NOW = Instant.parse("2026-12-06T10:15:30Z");
	final UUID ticket = UUID.randomUUID();
	final UUID merchant = UUID.randomUUID();
	final UUID agent = UUID.randomUUID();

	@Test
	void aClosedTicketCannotBeAssigned() {
		assertThatThrownBy(() -> Ticket.assignment(ticket, merchant, TicketStatus.CLOSED, null, agent,
				AssignmentReason.manual(), NOW))
			.isInstanceOf(ConflictException.class)
			.hasMessageContaining("CLOSED");
	}

	@Test
	void assigningToTheCurrentAssigneeIsNoChange() {
		assertThat(Ticket.assignment(ticket, merchant, TicketStatus.IN_PROGRESS, agent, agent, AssignmentReason.manual(),
				NOW)).isEmpty();
	}

	@Test
	void anAssignmentRaisesTicketAssignedWithThePreviousAgentAndTheVersionItCommitsWith() {
		var previous = UUID.randomUUID();
		var reason = new AssignmentReason("LOAD_BALANCED", 3, 10, null);

		var assignment = Ticket.assignment(ticket, merchant, TicketStatus.RESOLVED, previous, agent, reason, NOW)
			.orElseThrow();

		assertThat(assignment.agentId()).isEqualTo(agent);
		assertThat(assignment.reason()).isEqualTo(reason);
		var event = assignment.event(7);
		assertThat(event.ticketId()).isEqualTo(ticket);
		assertThat(event.merchantId()).isEqualTo(merchant);
		assertThat(event.agentId()).isEqualTo(agent);
		assertThat(event.previousAgentId()).isEqualTo(previous);
		assertThat(event.strategy()).isEqualTo("LOAD_BALANCED");
		assertThat(event.occurredAt()).isEqualTo(NOW);
		assertThat(event.ticketVersion()).isEqualTo(7);
	}

	@Test
	void anEnrichmentIsStampedWithItsTimeAndRaisesTicketContextEnriched() {
		var given = JsonNodeFactory.instance.objectNode();
		given.putObject("requesterHistory").put("earlierTickets", 2);

		var enrichment = Ticket.enrichment(ticket, merchant, given, NOW);

		assertThat(enrichment.enrichment().get("requesterHistory").get("earlierTickets").asInt()).isEqualTo(2);
		assertThat(enrichment.enrichment().get("enrichedAt").asText()).isEqualTo(NOW.toString());
		assertThat(given.has("enrichedAt")).as("the caller's object is left as it was").isFalse();
		var event = enrichment.event(4);
		assertThat(event.ticketId()).isEqualTo(ticket);
		assertThat(event.merchantId()).isEqualTo(merchant);
		assertThat(event.occurredAt()).isEqualTo(NOW);
		assertThat(event.ticketVersion()).isEqualTo(4);
	}
}
