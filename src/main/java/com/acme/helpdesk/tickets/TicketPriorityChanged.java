package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.UUID;

/** A ticket's priority changed ({@code ticket.priority_changed}), e.g. raised by an SLA escalation. */
public record TicketPriorityChanged(UUID eventId, UUID ticketId, UUID merchantId, Priority from, Priority to,
		String reason, Instant occurredAt,
		long ticketVersion) {
}
