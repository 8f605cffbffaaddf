package com.acme.helpdesk.notifications;

import java.util.ArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
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
 * Use case (job {@code notification-batch}): delivers the notifications of one event to several recipients, each in
 * its own transaction. A run delivers what is still pending, so a retry after a partial failure sends only the rest.
 * Each failed delivery is counted on its notification with its reason.
 * Webhooks refused for their address are marked {@code FAILED} (and the job dead-lettered, not retried), like those
 * failing the last attempt; a requeued dead letter makes them {@code PENDING} again and delivers them. Those whose
 * merchant holds its share of the workers go into a batch of their own, published again.
 */
@Component
class DeliverNotificationBatch implements JobWorker<NotificationJob.Batch> {

	private static final Logger log = LoggerFactory.getLogger(DeliverNotificationBatch.class);

	private final NotificationSender sender;
	private final TransactionTemplate transactions;
	private final JobQueues queues;
	private final OutboundCalls outbound;

	DeliverNotificationBatch(NotificationSender sender, TransactionTemplate transactions, JobQueues queues,
			OutboundCalls outbound) {
		this.sender = sender;
		this.outbound = outbound;
		this.transactions = transactions;
		this.queues = queues;
	}

	@Override
	public Class<NotificationJob.Batch> jobType() {
		return NotificationJob.Batch.class;
	}

	@Override
	public void run(NotificationJob.Batch job, JobRun run) {
		var failures = new ArrayList<RuntimeException>();
		var later = new ArrayList<java.util.UUID>();
		OutboundRefusedException refused = null;
		var last = run.attempt() > queues.settings(JobQueue.NOTIFICATION).retries();
		if (run.requeued()) {
			sender.retryFailed(job.merchantId(), job.notificationIds());
		}
		for (var id : job.notificationIds()) {
			try {
				transactions.executeWithoutResult(status -> sender.deliver(job.merchantId(), id));
			}
			catch (MerchantShareTakenException e) {
				later.add(id);
			}
			catch (OutboundRefusedException e) {
				sender.recordFailure(id, e, true);
				refused = e;
			}
			catch (InvalidJobArgumentsException e) {
				log.warn("Skipping notification {}: {}", id, e.getMessage());
			}
			catch (RuntimeException e) {
				failures.add(e);
				sender.recordFailure(id, e, last);
			}
		}
		if (!later.isEmpty()) {
			outbound.postpone(new NotificationJob.Batch(job.merchantId(), later), run);
		}
		if (!failures.isEmpty()) {
			var error = new IllegalStateException(
					failures.size() + " of " + job.notificationIds().size() + " deliveries failed; first: " + failures.get(0),
					failures.get(0));
			failures.stream().skip(1).forEach(error::addSuppressed);
			throw error;
		}
		if (refused != null) {
			throw refused;
		}
	}
}
