package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.UUID;

/** A ticket went back to the pool: its assignee left before starting it ({@code ticket.unassigned}). */
public record TicketUnassigned(UUID eventId, UUID ticketId, UUID merchantId, UUID previousAgentId, String reason,
		Instant occurredAt,
		long ticketVersion) {
}
