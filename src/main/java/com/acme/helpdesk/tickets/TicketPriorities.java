package com.acme.helpdesk.tickets;

import java.util.UUID;

import org.springframework.stereotype.Service;

/**
 * The tickets module's door for priority changes by other modules (SLA escalation): raises a ticket's priority one
 * step and publishes {@link TicketPriorityChanged} in the caller's transaction.
 */
@Service
public class TicketPriorities {

	private final TicketService tickets;

	TicketPriorities(TicketService tickets) {
		this.tickets = tickets;
	}

	/**
	 * Raises the priority one step; an {@code URGENT} or {@code CLOSED} ticket is left as it is (no event). Answers the
	 * priority after the call.
	 *
	 * @throws com.acme.helpdesk.shared.NotFoundException when the merchant has no such ticket
	 */
	public Priority raise(UUID merchantId, UUID ticketId, String reason) {
		return tickets.raisePriority(merchantId, ticketId, reason).priority();
	}
}
