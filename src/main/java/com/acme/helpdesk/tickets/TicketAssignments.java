package com.acme.helpdesk.tickets;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.shared.NotFoundException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The tickets module's door for assignment: sets or takes away a ticket's assignee and publishes
 * {@link TicketAssigned} / {@link TicketUnassigned} in the caller's transaction. The caller checks that the
 * agent is one of the merchant's and keeps the agent's load. Assigning is SQL on the locked row, not the entity:
 * every automatic assignment goes through here, and loading the entity parsed and copied its JSON columns, which
 * an assignment does not touch. The rule is the aggregate's ({@link Ticket#assignment}), as for a manual assignment.
 */
@Service
public class TicketAssignments {

	private final TicketService tickets;
	private final Tickets summaries;
	private final TicketRepository repository;
	private final JdbcClient jdbc;
	private final ObjectMapper json;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	TicketAssignments(TicketService tickets, Tickets summaries, TicketRepository repository, JdbcClient jdbc,
			ObjectMapper json, ApplicationEventPublisher events, Clock clock) {
		this.tickets = tickets;
		this.summaries = summaries;
		this.repository = repository;
		this.jdbc = jdbc;
		this.json = json;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * A ticket locked for assignment until the end of the transaction, with the routing of its category
	 * ({@code null} when it has none).
	 */
	public record LockedTicket(TicketSummary ticket, RoutingStrategy categoryRouting) {
	}

	/**
	 * Locks the ticket and gives it to the agent.
	 *
	 * @throws com.acme.helpdesk.shared.NotFoundException when the merchant has no such ticket
	 * @throws com.acme.helpdesk.shared.ConflictException when it is {@code CLOSED}
	 */
	@Transactional
	public AssignedTicket assign(UUID merchantId, UUID ticketId, UUID agentId, AssignmentReason reason) {
		return assign(lockForAssignment(merchantId, ticketId).orElseThrow(() -> new NotFoundException("Ticket", ticketId)),
				agentId, reason);
	}

	/**
	 * Gives the ticket, as {@link #lockForAssignment} answered it in this transaction, to the agent.
	 *
	 * @throws com.acme.helpdesk.shared.ConflictException when it is {@code CLOSED}
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public AssignedTicket assign(LockedTicket locked, UUID agentId, AssignmentReason reason) {
		var ticket = locked.ticket();
		Ticket.assignment(ticket.id(), ticket.merchantId(), ticket.status(), ticket.assigneeId(), agentId, reason,
				clock.instant())
			.ifPresent(assignment -> {
				var version = jdbc.sql("""
						UPDATE ticket SET assignee_id = ?, assignment_reason = CAST(? AS jsonb), updated_at = ?,
						    version = version + 1
						WHERE id = ?
						RETURNING version""")
					.params(assignment.agentId(), write(assignment.reason()), Timestamp.from(assignment.at()), ticket.id())
					.query(Long.class)
					.single();
				events.publishEvent(assignment.event(version));
			});
		return new AssignedTicket(ticket.id(), agentId, ticket.status());
	}

	private String write(AssignmentReason reason) {
		try {
			return json.writeValueAsString(reason);
		}
		catch (JsonProcessingException e) {
			throw new IllegalArgumentException(e);
		}
	}

	/**
	 * The ticket, locked until the end of the caller's transaction, so that concurrent assignments of one
	 * ticket take turns; empty when the merchant has no such ticket.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public java.util.Optional<LockedTicket> lockForAssignment(UUID merchantId, UUID ticketId) {
		return summaries.lockWithRouting(merchantId, ticketId);
	}

	/** Takes an {@code OPEN} ticket back from {@code agentId}; answers whether it was theirs and not yet started. */
	@Transactional
	public boolean returnToPool(UUID merchantId, UUID ticketId, UUID agentId, String reason) {
		var ticket = tickets.lock(merchantId, ticketId);
		if (!ticket.returnToPool(agentId, reason, clock.instant())) {
			return false;
		}
		repository.save(ticket);
		return true;
	}

	public record AssignedTicket(UUID ticketId, UUID assigneeId, TicketStatus status) {
	}
}
