package com.acme.helpdesk.assignment;

import java.time.Instant;
import java.util.UUID;

/** An agent was created ({@code previousAvailability} null), or its availability, capacity or categories changed. */
public record AgentChanged(UUID eventId, UUID merchantId, UUID agentId, Availability previousAvailability,
		Availability availability, int capacity, Instant occurredAt) {
}
