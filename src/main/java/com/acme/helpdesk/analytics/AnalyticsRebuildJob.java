package com.acme.helpdesk.analytics;

import java.util.UUID;

import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Queue {@code helpdesk.analytics-update}, job {@code analytics-rebuild}: recounts a merchant's figures from scratch
 * ({@code RebuildAnalytics}); published by {@code POST /ops/v1/analytics/rebuild}.
 */
public record AnalyticsRebuildJob(UUID merchantId) implements HelpdeskJob {

	@Override
	public JobQueue queue() {
		return JobQueue.ANALYTICS_UPDATE;
	}

	@Override
	public String jobName() {
		return "analytics-rebuild";
	}

	@Override
	public String displayName() {
		return "analytics-rebuild merchant " + merchantId;
	}
}
