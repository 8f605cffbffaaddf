package com.acme.helpdesk.notifications;

/** What a notification is about, and whom it may address. */
public enum NotificationType {

	/** To the new assignee. */
	TICKET_ASSIGNED(true, false, "Ticket assigned to you"),
	/** To the assignee, on a customer reply. */
	CUSTOMER_REPLIED(true, false, "New customer reply"),
	/** To the requester, on a public agent reply. */
	AGENT_REPLIED(false, true, "New reply to your request"),
	/** To the requester and the assignee. */
	STATUS_CHANGED(true, true, "Status changed"),
	/** To the assignee. */
	SLA_WARNING(true, false, "SLA warning"),
	/** To the assignee and the supervisors named by the escalation policy. */
	SLA_BREACHED(true, false, "SLA breached"),
	/** To the agents the escalation names. */
	TICKET_ESCALATED(true, false, "Ticket escalated"),
	/** To the requester, with the survey's link. */
	SURVEY_REQUESTED(false, true, "How did we do?"),
	/** An agent's digest of collected notifications; not configurable. */
	DIGEST(true, false, "Your notification digest");

	private final boolean toAgents;
	private final boolean toRequesters;
	private final String title;

	NotificationType(boolean toAgents, boolean toRequesters, String title) {
		this.toAgents = toAgents;
		this.toRequesters = toRequesters;
		this.title = title;
	}

	/** Whether agents choose channels and delivery for this type in their preferences. */
	public boolean configurable() {
		return toAgents && this != DIGEST;
	}

	public boolean toRequesters() {
		return toRequesters;
	}

	public String title() {
		return title;
	}
}
