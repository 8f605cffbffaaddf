package com.acme.helpdesk.jobs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.JobReruns;
import com.acme.helpdesk.jobs.QueueSettings;
import com.acme.helpdesk.shared.ReplayWindow;

/**
 * The longest time a job can run again after one of its runs took effect, from the settings in use:
 * <ul>
 * <li>its remaining attempts: the slowest queue's retries with their back-off, each attempt also waiting up to a poll
 * to start, the server time-out (poll interval x multiplicand) to be failed as an orphan of a dead process, and a poll
 * for its retry to be enqueued;</li>
 * <li>then as long as JobRunr keeps it requeueable: {@code FAILED} until its dead letter is purged
 * ({@code helpdesk.jobs.dead-letter-retention}), or {@code SUCCEEDED} until JobRunr deletes it
 * ({@code delete-succeeded-jobs-after}), whichever is longer; plus {@code DELETED} until JobRunr deletes it
 * permanently ({@code permanently-delete-deleted-jobs-after}): the dashboard requeues jobs in all three states.</li>
 * </ul>
 */
final class JobRerunWindow implements JobReruns {

	private final ReplayWindow window;

	JobRerunWindow(JobQueues queues, QueueServers.ServerSettings servers, JobRetentionProperties retention) {
		var all = new ArrayList<QueueSettings>();
		for (var queue : JobQueue.values()) {
			all.add(queues.settings(queue));
		}
		all.add(QueueConfiguration.noQueueSettings(servers));
		var slowest = all.stream().max(Comparator.comparing(settings -> attempts(settings, servers))).orElseThrow();
		var attempts = attempts(slowest, servers);
		var kept = max(retention.deadLetterRetention(), servers.deleteSucceededAfter());
		this.window = new ReplayWindow("a job can run again", attempts.plus(kept).plus(servers.permanentlyDeleteDeletedAfter()),
				"the attempts of %s (%s: %d retries, %s back-off from %s, up to %s each to start or be found orphaned) + the longer of helpdesk.jobs.dead-letter-retention (%s) and jobrunr.background-job-server.delete-succeeded-jobs-after (%s) + jobrunr.background-job-server.permanently-delete-deleted-jobs-after (%s)"
					.formatted(slowest.queue() == null ? "jobs on no queue" : slowest.queue().queueName(),
							ReplayWindow.format(attempts), slowest.retries(), slowest.backoff().name().toLowerCase(),
							ReplayWindow.format(slowest.backoffBase()), ReplayWindow.format(attemptOverhead(servers)),
							ReplayWindow.format(retention.deadLetterRetention()),
							ReplayWindow.format(servers.deleteSucceededAfter()),
							ReplayWindow.format(servers.permanentlyDeleteDeletedAfter())));
	}

	@Override
	public ReplayWindow window() {
		return window;
	}

	/** From a job's first attempt to the start of its last. */
	static Duration attempts(QueueSettings settings, QueueServers.ServerSettings servers) {
		var total = attemptOverhead(servers).multipliedBy(settings.retries() + 1L);
		for (int retry = 1; retry <= settings.retries(); retry++) {
			total = total.plus(settings.delayBeforeRetry(retry));
		}
		return total;
	}

	private static Duration attemptOverhead(QueueServers.ServerSettings servers) {
		return servers.pollInterval().multipliedBy(servers.serverTimeoutMultiplicand() + 2L);
	}

	private static Duration max(Duration a, Duration b) {
		return a.compareTo(b) >= 0 ? a : b;
	}
}
