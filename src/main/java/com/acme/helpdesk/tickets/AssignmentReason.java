package com.acme.helpdesk.tickets;

/**
 * Why a ticket went to its assignee: the strategy ({@code MANUAL}, {@code LOAD_BALANCED}, ...) and, when
 * known, the agent's open-ticket load and capacity at that moment.
 */
public record AssignmentReason(String strategy, Integer agentLoad, Integer agentCapacity, String note) {

	public static AssignmentReason manual() {
		return new AssignmentReason("MANUAL", null, null, null);
	}
}
