package com.acme.helpdesk.notifications;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobIdempotency;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.jobs.NotificationJob;

/**
 * Use case (job {@code notification}): delivers one notification. A failure is retried by the queue; the last one
 * marks the notification {@code FAILED} and the job becomes a dead letter.
 */
@Component
class DeliverNotification implements JobWorker<NotificationJob.Deliver> {

	private final Deliveries deliveries;
	private final JobIdempotency idempotency;
	private final JobQueues queues;

	DeliverNotification(Deliveries deliveries, JobIdempotency idempotency, JobQueues queues) {
		this.deliveries = deliveries;
		this.idempotency = idempotency;
		this.queues = queues;
	}

	@Override
	public Class<NotificationJob.Deliver> jobType() {
		return NotificationJob.Deliver.class;
	}

	@Override
	public void run(NotificationJob.Deliver job, JobRun run) {
		try {
			idempotency.once(run, () -> deliveries.deliver(job.merchantId(), job.notificationId()));
		}
		catch (InvalidJobArgumentsException e) {
			throw e;
		}
		catch (RuntimeException e) {
			if (run.attempt() > queues.settings(JobQueue.NOTIFICATION).retries()) {
				deliveries.markFailed(job.notificationId(), e);
			}
			throw e;
		}
	}
}
