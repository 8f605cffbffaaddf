package com.acme.helpdesk.analytics;

import java.time.Clock;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

/**
 * Use case: recounts a batch of the merchant's dirty tickets ({@link RecountTickets}: under the merchant's lock, oldest
 * markers first, any slice's), and when markers are left, publishes the job that goes on at once. When another
 * transaction holds the merchant's lock, the job waits for nothing: its follow-up tries again
 * {@link AnalyticsUpdateJob#BUSY_RETRY} later. Idempotent: a second run recounts what is dirty then, and counting
 * unchanged sources again changes nothing; its follow-up has the first run's id.
 */
@Component
class UpdateAnalytics implements JobWorker<AnalyticsUpdateJob> {

	private final RecountTickets recount;
	private final JobDispatcher dispatcher;
	private final AnalyticsProperties properties;
	private final Clock clock;

	UpdateAnalytics(RecountTickets recount, JobDispatcher dispatcher, AnalyticsProperties properties, Clock clock) {
		this.recount = recount;
		this.dispatcher = dispatcher;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public Class<AnalyticsUpdateJob> jobType() {
		return AnalyticsUpdateJob.class;
	}

	@Override
	public void run(AnalyticsUpdateJob job, JobRun run) {
		var outcome = recount.recountDirty(job.merchantId(), properties.batchSize());
		if (outcome == RecountTickets.Outcome.DONE) {
			return;
		}
		var jobId = run.jobId() != null ? run.jobId() : UUID.randomUUID();
		var now = clock.instant();
		var followUp = AnalyticsUpdateJob.followUp(job.merchantId(), jobId, now);
		dispatcher.publish(outcome == RecountTickets.Outcome.BUSY
				? followUp.notBefore(now.plus(AnalyticsUpdateJob.BUSY_RETRY)) : followUp);
	}
}
