package com.acme.helpdesk.outbound;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;

/**
 * Per queue and merchant, the calls under way in this process: at most {@code merchantShare} of the queue's workers
 * (rounded, at least one).
 */
final class MerchantShares {

	private record Key(JobQueue queue, UUID merchantId) {
	}

	private final JobQueues queues;
	private final double share;
	private final Map<Key, Semaphore> permits = new ConcurrentHashMap<>();

	MerchantShares(JobQueues queues, double share) {
		this.queues = queues;
		this.share = share;
	}

	int permitsPerMerchant(JobQueue queue) {
		return Math.max(1, (int) Math.round(queues.settings(queue).concurrency() * share));
	}

	/** A permit to release after the call, or {@code null} when the merchant holds its share. */
	Semaphore tryAcquire(JobQueue queue, UUID merchantId) {
		var semaphore = permits.computeIfAbsent(new Key(queue, merchantId), key -> new Semaphore(permitsPerMerchant(queue)));
		return semaphore.tryAcquire() ? semaphore : null;
	}
}
