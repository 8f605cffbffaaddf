package com.acme.helpdesk.sla;

/** What an SLA clock measures. */
public enum SlaMetric {
	/** Until the first public agent reply. */
	FIRST_RESPONSE,
	/** Until the ticket is resolved or closed. */
	RESOLUTION
}
