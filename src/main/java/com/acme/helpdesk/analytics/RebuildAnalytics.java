package com.acme.helpdesk.analytics;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

/**
 * Use case: recounts a merchant's figures from scratch. One transaction (under the merchant's lock) empties its
 * buckets and counted facts and marks every one of its tickets dirty; then the tickets are recounted in batches, each a
 * transaction of {@link RecountTickets} like an incremental update, until no marker is left. While it runs, readers
 * see the figures of the tickets recounted so far. A second run starts over and ends with the same figures.
 */
@Component
class RebuildAnalytics implements JobWorker<AnalyticsRebuildJob> {

	private final RecountTickets recount;
	private final AnalyticsProperties properties;

	RebuildAnalytics(RecountTickets recount, AnalyticsProperties properties) {
		this.recount = recount;
		this.properties = properties;
	}

	@Override
	public Class<AnalyticsRebuildJob> jobType() {
		return AnalyticsRebuildJob.class;
	}

	@Override
	public void run(AnalyticsRebuildJob job, JobRun run) {
		recount.reset(job.merchantId());
		while (recount.recountDirtyWaiting(job.merchantId(), properties.batchSize())) {
			// the next batch
		}
	}
}
