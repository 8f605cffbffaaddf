package com.acme.helpdesk.sla;

import java.time.Instant;
import java.util.UUID;

/**
 * A clock passed its due time ({@code sla.breached}): published once per clock and cycle by the SLA monitor.
 * {@code cycle} counts the clock's restarts (1 until the ticket is first reopened).
 */
public record SlaBreached(UUID eventId, UUID ticketId, UUID merchantId, UUID clockId, SlaMetric metric, int cycle,
		Instant dueAt, Instant occurredAt) {
}
