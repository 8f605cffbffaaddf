package com.acme.helpdesk.sla;

import java.time.Duration;

import com.acme.helpdesk.tickets.Priority;

/** A merchant's SLA targets for one priority; {@code businessHours} null means around the clock. */
record SlaPolicy(Priority priority, Duration firstResponse, Duration resolution, int warningPercent,
		BusinessHours businessHours) {

	Duration target(SlaMetric metric) {
		return metric == SlaMetric.FIRST_RESPONSE ? firstResponse : resolution;
	}
}
