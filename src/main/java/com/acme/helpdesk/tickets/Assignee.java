package com.acme.helpdesk.tickets;

import java.util.UUID;

/** An agent a ticket can be assigned to, with its open-ticket load and capacity at this moment. */
public record Assignee(UUID agentId, int load, int capacity) {
}
