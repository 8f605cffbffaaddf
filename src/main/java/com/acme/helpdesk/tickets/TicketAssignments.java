package com.acme.helpdesk.tickets;

import java.time.Clock;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The tickets module's door for assignment: sets or takes away a ticket's assignee and publishes
 * {@link TicketAssigned} / {@link TicketUnassigned} in the caller's transaction. The caller checks that the
 * agent is one of the merchant's and keeps the agent's load.
 */
@Service
public class TicketAssignments {

	private final TicketService tickets;
	private final Tickets summaries;
	private final TicketRepository repository;
	private final Clock clock;

	TicketAssignments(TicketService tickets, Tickets summaries, TicketRepository repository, Clock clock) {
		this.tickets = tickets;
		this.summaries = summaries;
		this.repository = repository;
		this.clock = clock;
	}

	/** @throws com.acme.helpdesk.shared.NotFoundException when the merchant has no such ticket */
	@Transactional
	public AssignedTicket assign(UUID merchantId, UUID ticketId, UUID agentId, AssignmentReason reason) {
		var ticket = tickets.assign(merchantId, ticketId, agentId, reason);
		return new AssignedTicket(ticket.id(), ticket.assigneeId(), ticket.status());
	}

	/**
	 * The ticket, locked until the end of the caller's transaction, so that concurrent assignments of one
	 * ticket take turns; empty when the merchant has no such ticket.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public java.util.Optional<TicketSummary> lockForAssignment(UUID merchantId, UUID ticketId) {
		return summaries.lock(merchantId, ticketId);
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
