package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.UUID;

/** A ticket's status changed ({@code ticket.status_changed}). */
public record TicketStatusChanged(UUID eventId, UUID ticketId, UUID merchantId, TicketStatus from, TicketStatus to, String reason,
		UUID assigneeId, Instant occurredAt,
		long ticketVersion) {
}
