package com.acme.helpdesk.sla;

import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Queue {@code helpdesk.sla-monitor}, job {@code sla-monitor}: one sweep of the SLA monitor. Published by the
 * recurring job {@code sla-monitor-cron} and by {@code POST /ops/v1/sla-monitor/run}; the sweep itself is an
 * {@link SlaSweep} bean.
 */
public record SlaMonitorJob(String trigger) implements HelpdeskJob {

	@Override
	public JobQueue queue() {
		return JobQueue.SLA_MONITOR;
	}

	@Override
	public String jobName() {
		return "sla-monitor";
	}

	@Override
	public String displayName() {
		return "sla-monitor (" + trigger + ")";
	}
}
