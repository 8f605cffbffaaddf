package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.UUID;

/** A ticket got an assignee, by hand or automatically ({@code ticket.assigned}). */
public record TicketAssigned(UUID eventId, UUID ticketId, UUID merchantId, UUID agentId, UUID previousAgentId, String strategy,
		Instant occurredAt,
		long ticketVersion) {
}
