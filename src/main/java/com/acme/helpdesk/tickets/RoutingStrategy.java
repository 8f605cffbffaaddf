package com.acme.helpdesk.tickets;

/** How a category's new tickets find an agent. */
public enum RoutingStrategy {

	LOAD_BALANCED, ROUND_ROBIN, MANUAL;

	public boolean isAutomatic() {
		return this != MANUAL;
	}
}
