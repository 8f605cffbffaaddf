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

/**
 * Use case (job {@code notification-batch}): delivers the notifications of one event to several recipients, each in
 * its own transaction. A run delivers what is still pending, so a retry after a partial failure sends only the rest.
 */
@Component
class DeliverNotificationBatch implements JobWorker<NotificationJob.Batch> {

	private static final Logger log = LoggerFactory.getLogger(DeliverNotificationBatch.class);

	private final Deliveries deliveries;
	private final TransactionTemplate transactions;
	private final JobQueues queues;

	DeliverNotificationBatch(Deliveries deliveries, TransactionTemplate transactions, JobQueues queues) {
		this.deliveries = deliveries;
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
		var last = run.attempt() > queues.settings(JobQueue.NOTIFICATION).retries();
		for (var id : job.notificationIds()) {
			try {
				transactions.executeWithoutResult(status -> deliveries.deliver(job.merchantId(), id));
			}
			catch (InvalidJobArgumentsException e) {
				log.warn("Skipping notification {}: {}", id, e.getMessage());
			}
			catch (RuntimeException e) {
				failures.add(e);
				if (last) {
					deliveries.markFailed(id, e);
				}
			}
		}
		if (!failures.isEmpty()) {
			var error = new IllegalStateException(
					failures.size() + " of " + job.notificationIds().size() + " deliveries failed; first: " + failures.get(0),
					failures.get(0));
			failures.stream().skip(1).forEach(error::addSuppressed);
			throw error;
		}
	}
}
