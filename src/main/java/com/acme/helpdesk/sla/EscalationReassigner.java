package com.acme.helpdesk.sla;

import java.util.Optional;
import java.util.UUID;

/**
 * Finds another eligible agent for an escalated ticket and assigns it (through the tickets module, which publishes
 * {@code TicketAssigned}), in the caller's transaction. Implemented by the assignment module; while no bean exists,
 * a {@code REASSIGN} level still publishes {@link TicketEscalated}, without a new assignee.
 */
public interface EscalationReassigner {

	/** Answers the new assignee, or empty when no other eligible agent exists. */
	Optional<UUID> reassign(UUID merchantId, UUID ticketId, UUID excludedAgentId);
}
