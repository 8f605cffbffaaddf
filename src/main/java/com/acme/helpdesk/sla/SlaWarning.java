package com.acme.helpdesk.sla;

import java.time.Instant;
import java.util.UUID;

/**
 * A clock reached its warning threshold ({@code sla.warning}): published once per clock and cycle by the SLA monitor.
 * {@code cycle} counts the clock's restarts (1 until the ticket is first reopened).
 */
public record SlaWarning(UUID eventId, UUID ticketId, UUID merchantId, UUID clockId, SlaMetric metric, int cycle,
		Instant warnAt, Instant dueAt, Instant occurredAt) {
}
