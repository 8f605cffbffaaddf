package com.acme.helpdesk.notifications;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.jobs.NotificationJob;

/**
 * Use case (job {@code notification}): delivers one notification. A failure is retried by the queue; the last one
 * marks the notification {@code FAILED} and the job becomes a dead letter. A second run changes nothing: the
 * notification's row is locked and delivered only while {@code PENDING} ({@link Deliveries}), so the job needs no
 * idempotency key of its own, like {@link DeliverNotificationBatch}.
 */
@Component
class DeliverNotification implements JobWorker<NotificationJob.Deliver> {

	private final Deliveries deliveries;
	private final TransactionTemplate transactions;
	private final JobQueues queues;

	DeliverNotification(Deliveries deliveries, TransactionTemplate transactions, JobQueues queues) {
		this.deliveries = deliveries;
		this.transactions = transactions;
		this.queues = queues;
	}

	@Override
	public Class<NotificationJob.Deliver> jobType() {
		return NotificationJob.Deliver.class;
	}

	@Override
	public void run(NotificationJob.Deliver job, JobRun run) {
		try {
			transactions.executeWithoutResult(status -> deliveries.deliver(job.merchantId(), job.notificationId()));
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
