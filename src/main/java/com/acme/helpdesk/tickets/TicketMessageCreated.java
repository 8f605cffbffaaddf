package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.UUID;

/** A message was added to a ticket ({@code ticket.message.created}). */
public record TicketMessageCreated(UUID eventId, UUID ticketId, UUID merchantId, UUID messageId, AuthorType authorType,
		UUID authorId, boolean internal, boolean firstPublicAgentReply, Instant occurredAt,
		long ticketVersion) {
}
