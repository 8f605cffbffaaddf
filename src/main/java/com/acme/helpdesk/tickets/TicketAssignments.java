package com.acme.helpdesk.tickets;

import java.util.UUID;

import org.springframework.stereotype.Service;

/**
 * The tickets module's door for assignment: sets a ticket's assignee and publishes {@link TicketAssigned}
 * in the caller's transaction. The caller checks that the agent is one of the merchant's.
 */
@Service
public class TicketAssignments {

	private final TicketService tickets;

	TicketAssignments(TicketService tickets) {
		this.tickets = tickets;
	}

	/** @throws com.acme.helpdesk.shared.NotFoundException when the merchant has no such ticket */
	public AssignedTicket assign(UUID merchantId, UUID ticketId, UUID agentId, AssignmentReason reason) {
		var ticket = tickets.assign(merchantId, ticketId, agentId, reason);
		return new AssignedTicket(ticket.id(), ticket.assigneeId(), ticket.status());
	}

	public record AssignedTicket(UUID ticketId, UUID assigneeId, TicketStatus status) {
	}
}
