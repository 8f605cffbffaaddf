package com.acme.helpdesk.assignment;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.sla.EscalationReassigner;

/** Escalation's {@code REASSIGN}: the least loaded other eligible agent, within capacity. */
@Component
class EscalationReassignment implements EscalationReassigner {

	private final Reassignment reassignment;

	EscalationReassignment(Reassignment reassignment) {
		this.reassignment = reassignment;
	}

	@Override
	public Optional<UUID> reassign(UUID merchantId, UUID ticketId, UUID excludedAgentId) {
		return reassignment.reassign(merchantId, ticketId, excludedAgentId);
	}
}
