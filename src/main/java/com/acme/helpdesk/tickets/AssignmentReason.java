package com.acme.helpdesk.tickets;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Why a ticket went to its assignee: the strategy ({@code MANUAL}, {@code LOAD_BALANCED}, ...) and, when
 * known, the agent's open-ticket load and capacity at that moment.
 */
@Schema(description = "Why the ticket went to its assignee (null while it has none)", nullable = true)
public record AssignmentReason(
		@Schema(description = "How: `MANUAL`, `LOAD_BALANCED`, `ROUND_ROBIN` (the category's routing) or "
				+ "`ESCALATION_REASSIGN`",
				example = "LOAD_BALANCED")
		String strategy,
		@Schema(description = "The agent's open tickets at that moment", nullable = true) Integer agentLoad,
		@Schema(description = "The agent's capacity at that moment", nullable = true) Integer agentCapacity,
		@Schema(description = "More about it", nullable = true) String note) {

	public static AssignmentReason manual() {
		return new AssignmentReason("MANUAL", null, null, null);
	}
}
