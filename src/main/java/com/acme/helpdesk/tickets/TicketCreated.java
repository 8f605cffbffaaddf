package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A ticket was created ({@code ticket.created}). {@code metadata} is the caller's metadata plus
 * {@code tagIds}; {@code categoryRouting} is null when the ticket has no category.
 */
public record TicketCreated(UUID eventId, UUID ticketId, UUID merchantId, long number, String subject, UUID categoryId, List<UUID> tagIds,
		Priority priority, RoutingStrategy categoryRouting, JsonNode context, JsonNode metadata, Instant occurredAt,
		long ticketVersion) {

	public boolean hasContext() {
		return context != null && !context.isNull() && !context.isEmpty();
	}
}
