package com.acme.helpdesk.notifications;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.outbound.MerchantShareTakenException;
import com.acme.helpdesk.outbound.OutboundCalls;
import com.acme.helpdesk.outbound.OutboundRefusedException;

/**
 * Use case (job {@code notification}): delivers one notification. A failure is retried by the queue, and each one is
 * counted on the notification with its reason; the last one marks the notification {@code FAILED} and the job becomes
 * a dead letter; so does a webhook refused for its address,
 * at once. A requeued dead letter makes the notification {@code PENDING} again and delivers it. A webhook whose
 * merchant holds its share of the queue's workers waits: the job is published again. A second run changes nothing: the
 * notification's row is locked and delivered only while {@code PENDING} ({@link NotificationSender}), so the job needs no
 * idempotency key of its own, like {@link DeliverNotificationBatch}.
 */
@Component
class DeliverNotification implements JobWorker<NotificationJob.Deliver> {

	private final NotificationSender sender;
	private final TransactionTemplate transactions;
	private final JobQueues queues;
	private final OutboundCalls outbound;

	DeliverNotification(NotificationSender sender, TransactionTemplate transactions, JobQueues queues,
			OutboundCalls outbound) {
		this.sender = sender;
		this.outbound = outbound;
		this.transactions = transactions;
		this.queues = queues;
	}

	@Override
	public Class<NotificationJob.Deliver> jobType() {
		return NotificationJob.Deliver.class;
	}

	/**
	 * An in-app delivery writes only to the database, so deliveries that queue up share transactions, ordered by
	 * notification; mail and webhooks leave the database, so theirs run alone.
	 */
	@Override
	public Optional<UUID> sharedTransactionKey(NotificationJob.Deliver job) {
		return Boolean.TRUE.equals(job.inApp()) ? Optional.of(job.notificationId()) : Optional.empty();
	}

	@Override
	public void run(NotificationJob.Deliver job, JobRun run) {
		// in a shared transaction a failure makes every job of it run again alone: the last attempt's FAILED mark
		// belongs to that run, in a transaction of its own
		var ownTransaction = !TransactionSynchronizationManager.isActualTransactionActive();
		if (run.requeued()) {
			sender.retryFailed(job.merchantId(), List.of(job.notificationId()));
		}
		try {
			transactions.executeWithoutResult(status -> sender.deliver(job.merchantId(), job.notificationId()));
		}
		catch (MerchantShareTakenException e) {
			outbound.postpone(job, run);
		}
		catch (OutboundRefusedException e) {
			sender.recordFailure(job.notificationId(), e, true);
			throw e;
		}
		catch (InvalidJobArgumentsException e) {
			throw e;
		}
		catch (RuntimeException e) {
			if (ownTransaction) {
				sender.recordFailure(job.notificationId(), e,
						run.attempt() > queues.settings(JobQueue.NOTIFICATION).retries());
			}
			throw e;
		}
	}
}
