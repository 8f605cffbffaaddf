package com.acme.helpdesk.jobs.internal;

import java.time.ZoneId;
import java.util.List;

import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.storage.StorageProvider;

import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.RecurringJobs;

/** Saves a recurring job whose instances run on their queue's handler, like every queued job. */
class QueueRecurringJobs implements RecurringJobs {

	private final StorageProvider storage;

	QueueRecurringJobs(StorageProvider storage) {
		this.storage = storage;
	}

	@Override
	public void scheduleRecurrently(String id, String cron, ZoneId zone, HelpdeskJob job) {
		var recurring = new RecurringJob(id, JobSignatures.details(job.queue(), id, job), cron, zone.getId(),
				RecurringJob.CreatedBy.API);
		recurring.setJobName(job.displayName());
		recurring.setLabels(List.of("queue:" + job.queue().queueName(), "job:" + job.jobName()));
		storage.saveRecurringJob(recurring);
	}
}
