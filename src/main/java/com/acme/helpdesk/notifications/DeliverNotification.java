package com.acme.helpdesk.notifications;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

/**
 * Use case (job {@code notification}): delivers the notifications of one event to one recipient, one per channel,
 * each in a transaction of its own ({@link NotificationSender#deliverEach}): a retry sends only those still pending.
 * A failure is retried by the queue, and each one is counted on the notification with its reason; the last one marks
 * the notification {@code FAILED} and the job becomes a dead letter; so does a webhook refused for its address, at
 * once. A requeued dead letter makes its notifications {@code PENDING} again and delivers them. A webhook whose
 * merchant holds its share of the queue's workers waits: it is published again. A second run changes nothing: a
 * notification's row is locked and delivered only while {@code PENDING}, so the job needs no idempotency key of its
 * own, like {@link DeliverNotificationBatch}.
 */
@Component
class DeliverNotification implements JobWorker<NotificationJob.Deliver> {

	private final NotificationSender sender;

	DeliverNotification(NotificationSender sender) {
		this.sender = sender;
	}

	@Override
	public Class<NotificationJob.Deliver> jobType() {
		return NotificationJob.Deliver.class;
	}

	/**
	 * In-app deliveries write only to the database, so those that queue up share transactions, ordered by their
	 * first notification; mail and webhooks leave the database, so a job with one of them runs alone.
	 */
	@Override
	public Optional<UUID> sharedTransactionKey(NotificationJob.Deliver job) {
		return Boolean.TRUE.equals(job.inApp()) ? Optional.of(job.notificationIds().get(0)) : Optional.empty();
	}

	@Override
	public void run(NotificationJob.Deliver job, JobRun run) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			// a shared transaction: a failure makes every job of it run again alone, and that run counts it
			if (run.requeued()) {
				sender.retryFailed(job.merchantId(), job.notificationIds());
			}
			job.notificationIds().forEach(id -> sender.deliver(job.merchantId(), id));
			return;
		}
		sender.deliverEach(job.merchantId(), job.notificationIds(), run,
				rest -> new NotificationJob.Deliver(job.merchantId(), rest, job.inApp()));
	}
}
