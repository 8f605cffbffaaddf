package com.acme.helpdesk.assignment;

import java.util.UUID;

/** What other modules may read of an agent: who it is and where to write to it. */
public record AgentContact(UUID id, UUID merchantId, String name, String email) {
}
