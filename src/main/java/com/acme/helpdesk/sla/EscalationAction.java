package com.acme.helpdesk.sla;

/** What one escalation level does. */
public enum EscalationAction {
	/** Publishes {@link TicketEscalated} naming the level's supervisors (notifications tell them). */
	NOTIFY_SUPERVISOR,
	/** Hands the ticket to another eligible agent ({@link EscalationReassigner}). */
	REASSIGN,
	/** Raises the ticket's priority one step. */
	RAISE_PRIORITY
}
