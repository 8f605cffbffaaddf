package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.UUID;

/** Context enrichment wrote the ticket's {@code enrichment} ({@code ticket.context_enriched}). */
public record TicketContextEnriched(UUID eventId, UUID ticketId, UUID merchantId, Instant occurredAt,
		long ticketVersion) {
}
