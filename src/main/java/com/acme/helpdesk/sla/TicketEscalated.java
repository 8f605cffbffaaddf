package com.acme.helpdesk.sla;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One escalation level ran for a ticket in breach ({@code ticket.escalated}). {@code level} is 1-based;
 * {@code supervisorAgentIds} are the level's supervisors (possibly empty); {@code assigneeId} is the ticket's new
 * assignee after a {@code REASSIGN} that found one, else {@code null}.
 */
public record TicketEscalated(UUID eventId, UUID ticketId, UUID merchantId, UUID escalationId, int level,
		EscalationAction action, List<UUID> supervisorAgentIds, UUID assigneeId, Instant breachedAt,
		Instant occurredAt) {
}
