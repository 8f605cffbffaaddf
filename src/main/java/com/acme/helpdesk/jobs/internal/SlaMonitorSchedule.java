package com.acme.helpdesk.jobs.internal;

import java.time.ZoneId;

import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.storage.StorageProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.SlaMonitorJob;

/**
 * The one recurring job {@code sla-monitor-cron} (cron {@code helpdesk.sla-monitor.cron}, every minute by default):
 * an upsert by fixed id, so any number of processes make one schedule; JobRunr's master server makes its instances
 * and skips a run while the previous one is still scheduled, enqueued or processing.
 */
class SlaMonitorSchedule {

	static final String RECURRING_JOB_ID = "sla-monitor-cron";

	private final StorageProvider storage;
	private final JobDispatcher dispatcher;
	private final String cron;
	private final ZoneId zone;

	SlaMonitorSchedule(StorageProvider storage, JobDispatcher dispatcher, String cron, ZoneId zone) {
		this.storage = storage;
		this.dispatcher = dispatcher;
		this.cron = cron;
		this.zone = zone;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		var job = new SlaMonitorJob("cron");
		var recurring = new RecurringJob(RECURRING_JOB_ID,
				JobSignatures.details(JobQueue.SLA_MONITOR, RECURRING_JOB_ID, job), cron, zone.getId(),
				RecurringJob.CreatedBy.API);
		recurring.setJobName(job.displayName());
		recurring.setLabels(java.util.List.of("queue:" + JobQueue.SLA_MONITOR.queueName(), "job:" + job.jobName()));
		storage.saveRecurringJob(recurring);
	}

	/** A sweep now (besides the schedule); answers the job id. */
	java.util.UUID runNow() {
		return dispatcher.publish(Dispatch.of(new SlaMonitorJob("manual")));
	}
}
