package com.acme.helpdesk.analytics;

/**
 * The counters kept per bucket and dimension, in the order of {@code analytics_bucket.counters}. Durations are summed
 * in milliseconds. The backlog counters are changes (a ticket entering the state +1, leaving it -1), so the backlog at
 * an instant is the sum of all changes before it.
 */
enum Figure {
	CREATED,
	RESOLVED,
	REOPENED,
	CLOSED,
	CUSTOMER_MESSAGES,
	AGENT_REPLIES,
	FIRST_RESPONSE_COUNT,
	FIRST_RESPONSE_MILLIS,
	RESOLUTION_COUNT,
	RESOLUTION_MILLIS,
	BUSINESS_FIRST_RESPONSE_COUNT,
	BUSINESS_FIRST_RESPONSE_MILLIS,
	BUSINESS_RESOLUTION_COUNT,
	BUSINESS_RESOLUTION_MILLIS,
	SLA_FIRST_RESPONSE_MET,
	SLA_FIRST_RESPONSE_BREACHED,
	SLA_RESOLUTION_MET,
	SLA_RESOLUTION_BREACHED,
	ESCALATIONS,
	CSAT_1,
	CSAT_2,
	CSAT_3,
	CSAT_4,
	CSAT_5,
	OPEN_CHANGE,
	PENDING_CHANGE,
	UNASSIGNED_CHANGE;

	static Figure csat(int score) {
		if (score < 1 || score > 5) {
			throw new IllegalArgumentException("a CSAT score is 1 to 5, not " + score);
		}
		return values()[CSAT_1.ordinal() + score - 1];
	}
}
