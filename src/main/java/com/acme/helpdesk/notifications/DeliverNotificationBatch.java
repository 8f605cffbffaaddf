package com.acme.helpdesk.notifications;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

/**
 * Use case (job {@code notification-batch}): delivers the notifications of one event to several recipients, as
 * {@link DeliverNotification} does for one: each in its own transaction, a retry sending only those still pending,
 * each failure counted on its notification, webhooks refused for their address marked {@code FAILED} (and the job
 * dead-lettered, not retried), a requeued dead letter delivering them again. Those whose merchant holds its share of
 * the workers go into a batch of their own, published again.
 */
@Component
class DeliverNotificationBatch implements JobWorker<NotificationJob.Batch> {

	private final NotificationSender sender;

	DeliverNotificationBatch(NotificationSender sender) {
		this.sender = sender;
	}

	@Override
	public Class<NotificationJob.Batch> jobType() {
		return NotificationJob.Batch.class;
	}

	@Override
	public void run(NotificationJob.Batch job, JobRun run) {
		sender.deliverEach(job.merchantId(), job.notificationIds(), run,
				rest -> new NotificationJob.Batch(job.merchantId(), rest));
	}
}
