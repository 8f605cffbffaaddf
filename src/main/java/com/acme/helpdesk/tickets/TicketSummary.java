package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What other modules may read of a ticket. */
public record TicketSummary(UUID id, UUID merchantId, long number, String subject, TicketStatus status,
		Priority priority, UUID categoryId, List<UUID> tagIds, UUID assigneeId, String requesterEmail,
		String requesterName, Instant createdAt, Instant firstResponseAt, Instant resolvedAt, Instant closedAt) {
}
