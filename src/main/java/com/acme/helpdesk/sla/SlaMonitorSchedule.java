package com.acme.helpdesk.sla;

import java.util.UUID;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.RecurringJobs;

/**
 * The one recurring job {@code sla-monitor-cron} ({@code helpdesk.sla-monitor.cron}, every minute by default), and
 * the manual trigger of {@code POST /ops/v1/sla-monitor/run}.
 */
@Component
class SlaMonitorSchedule {

	static final String RECURRING_JOB_ID = "sla-monitor-cron";

	private final RecurringJobs recurringJobs;
	private final JobDispatcher dispatcher;
	private final SlaMonitorProperties properties;

	SlaMonitorSchedule(RecurringJobs recurringJobs, JobDispatcher dispatcher, SlaMonitorProperties properties) {
		this.recurringJobs = recurringJobs;
		this.dispatcher = dispatcher;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		recurringJobs.scheduleRecurrently(RECURRING_JOB_ID, properties.cron(), properties.zone(),
				new SlaMonitorJob("cron"));
	}

	/** A sweep now (besides the schedule); answers the job id. */
	UUID runNow() {
		return dispatcher.publish(Dispatch.of(new SlaMonitorJob("manual")));
	}
}
