package com.acme.helpdesk.analytics;

import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Queue {@code helpdesk.analytics-update}, job {@code analytics-stragglers}: publishes an {@code analytics-update} job
 * for each merchant with a dirty ticket older than a minute ({@code SweepAnalyticsStragglers}); the recurring job
 * {@code analytics-stragglers-cron}.
 */
public record AnalyticsStragglersJob(String trigger) implements HelpdeskJob {

	@Override
	public JobQueue queue() {
		return JobQueue.ANALYTICS_UPDATE;
	}

	@Override
	public String jobName() {
		return "analytics-stragglers";
	}
}
