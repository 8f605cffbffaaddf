package com.acme.helpdesk.sla;

import java.util.List;
import java.util.UUID;

/**
 * Internal to sla: one sweep opened escalations for these tickets of one merchant. Published in the sweep's
 * transaction (so it is in the outbox with the breaches); its listener enqueues one {@code escalation-batch} job.
 */
record EscalationsOpened(UUID eventId, UUID merchantId, List<UUID> ticketIds) {
}
