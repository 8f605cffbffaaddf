package com.acme.helpdesk.analytics;

import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.RecurringJobs;

/** The recurring straggler sweep {@code analytics-stragglers-cron}, and the rebuild's job. */
@Component
class AnalyticsSchedule {

	static final String STRAGGLERS_RECURRING_JOB_ID = "analytics-stragglers-cron";

	private final RecurringJobs recurringJobs;
	private final JobDispatcher dispatcher;
	private final AnalyticsProperties properties;

	AnalyticsSchedule(RecurringJobs recurringJobs, JobDispatcher dispatcher, AnalyticsProperties properties) {
		this.recurringJobs = recurringJobs;
		this.dispatcher = dispatcher;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		recurringJobs.scheduleRecurrently(STRAGGLERS_RECURRING_JOB_ID, properties.stragglersCron(), ZoneOffset.UTC,
				new AnalyticsStragglersJob("cron"));
	}

	/** Publishes a rebuild of the merchant's figures; answers the job id. */
	UUID rebuild(UUID merchantId) {
		return dispatcher.publish(Dispatch.of(new AnalyticsRebuildJob(merchantId)));
	}
}
