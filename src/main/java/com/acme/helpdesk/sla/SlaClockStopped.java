package com.acme.helpdesk.sla;

import java.time.Instant;
import java.util.UUID;

/**
 * A ticket's clock stopped for its cycle ({@code sla.clock_stopped}): the first public agent reply stopped the
 * first-response clock, or a resolution or closing stopped the ticket's clocks. {@code breached} tells whether the
 * cycle had breached before it stopped. Published in the transaction that stops the clock.
 */
public record SlaClockStopped(UUID eventId, UUID ticketId, UUID merchantId, UUID clockId, SlaMetric metric, int cycle,
		boolean breached, Instant occurredAt) {
}
