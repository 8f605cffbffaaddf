package com.acme.helpdesk.analytics;

import java.time.Clock;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

/**
 * Use case: publishes an {@code analytics-update} job for each merchant with a dirty ticket older than
 * {@code helpdesk.analytics.straggler-age}: a change that committed after its slice's job had run, or a follow-up job
 * lost between a commit and its publication.
 */
@Component
class SweepAnalyticsStragglers implements JobWorker<AnalyticsStragglersJob> {

	private final DirtyTickets dirty;
	private final JobDispatcher dispatcher;
	private final AnalyticsProperties properties;
	private final Clock clock;

	SweepAnalyticsStragglers(DirtyTickets dirty, JobDispatcher dispatcher, AnalyticsProperties properties,
			Clock clock) {
		this.dirty = dirty;
		this.dispatcher = dispatcher;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public Class<AnalyticsStragglersJob> jobType() {
		return AnalyticsStragglersJob.class;
	}

	@Override
	public void run(AnalyticsStragglersJob job, JobRun run) {
		var now = clock.instant();
		var sweepId = run.jobId() != null ? run.jobId() : UUID.randomUUID();
		dispatcher.publishAll(dirty.merchantsWithMarkersBefore(now.minus(properties.stragglerAge()))
			.stream()
			.map(merchantId -> AnalyticsUpdateJob.forStragglers(merchantId, sweepId, now))
			.toList());
	}
}
