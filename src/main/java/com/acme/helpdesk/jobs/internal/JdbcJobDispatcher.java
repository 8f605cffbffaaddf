package com.acme.helpdesk.jobs.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.storage.StorageException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Writes jobs straight into JobRunr's table ({@link JobTableWriter}), in one statement that skips ids already there.
 * Inside an open transaction (see {@link WritableTransactionTracker}) the rows are written with the caller's
 * connection and commit or roll back with the caller's work; otherwise in a transaction of their own. After the
 * commit, this process's servers of the touched queues are woken so the jobs start at once, and other processes' by a
 * {@code NOTIFY} ({@link JobNotifier}); a delayed job is enqueued by this process when it is due
 * ({@link QueueServers#dueAt}).
 */
class JdbcJobDispatcher implements JobDispatcher {

	private final DataSource dataSource;
	private final JobTableWriter rows;
	private final QueueServers servers;
	private final JobNotifier notifier;
	private final QueueMetrics metrics;
	private final JobTracing tracing;
	private final Clock clock;

	JdbcJobDispatcher(DataSource dataSource, JobMapper jobMapper, String tablePrefix, QueueServers servers,
			JobNotifier notifier, QueueMetrics metrics, JobTracing tracing, Clock clock) {
		this.dataSource = dataSource;
		this.rows = new JobTableWriter(jobMapper, tablePrefix);
		this.servers = servers;
		this.notifier = notifier;
		this.metrics = metrics;
		this.tracing = tracing;
		this.clock = clock;
	}

	@Override
	public UUID publish(Dispatch<?> dispatch) {
		return publishAll(List.of(dispatch)).get(0);
	}

	@Override
	public List<UUID> publishAll(Collection<? extends Dispatch<?>> dispatches) {
		if (dispatches.isEmpty()) {
			return List.of();
		}
		var now = clock.instant();
		var ids = new ArrayList<UUID>(dispatches.size());
		var jobs = new LinkedHashMap<UUID, Job>();
		for (var dispatch : dispatches) {
			ids.add(dispatch.id());
			jobs.putIfAbsent(dispatch.id(), toJob(dispatch, now));
		}
		var inCallersTransaction = WritableTransactionTracker.isOpen();
		var inserted = insert(new ArrayList<>(jobs.values()), inCallersTransaction);
		if (inCallersTransaction) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					announce(inserted);
				}
			});
		}
		else {
			announce(inserted);
		}
		return ids;
	}

	/** Counts the new jobs and wakes the servers of their queues, this process's and the others'. */
	private void announce(List<Job> inserted) {
		var counts = new EnumMap<JobQueue, Integer>(JobQueue.class);
		for (var job : inserted) {
			counts.merge(QueueHandler.queueOf(job), 1, Integer::sum);
		}
		counts.forEach(metrics::enqueued);
		var ready = readyQueues(inserted);
		ready.forEach(servers::wake);
		notifier.queuesReady(ready);
		inserted.stream()
			.map(JobTableWriter::scheduledAt)
			.flatMap(java.util.Optional::stream)
			.distinct()
			.forEach(startAt -> servers.dueAt(startAt, notifier::queuesReady));
	}

	/** The queues of the jobs that may start now (not the delayed ones). */
	private static java.util.Set<JobQueue> readyQueues(List<Job> jobs) {
		var ready = java.util.EnumSet.noneOf(JobQueue.class);
		for (var job : jobs) {
			var queue = QueueHandler.queueOf(job);
			if (queue != null && !(job.getJobState() instanceof ScheduledState)) {
				ready.add(queue);
			}
		}
		return ready;
	}

	private Job toJob(Dispatch<?> dispatch, java.time.Instant now) {
		var payload = dispatch.job();
		var details = JobSignatures.details(payload.queue(), dispatch.idempotencyKey(), payload);
		var startAt = dispatch.startAt(now);
		var job = startAt == null ? new Job(dispatch.id(), details)
				: new Job(dispatch.id(), details, new ScheduledState(startAt, "Published with a delay"));
		job.setJobName(payload.displayName());
		job.setLabels(List.of(label("queue:" + payload.queue().queueName()), label("job:" + payload.jobName())));
		tracing.store(job);
		return job;
	}

	private static String label(String label) {
		return label.length() <= 45 ? label : label.substring(0, 45);
	}

	/** Answers the jobs that were new. */
	private List<Job> insert(List<Job> jobs, boolean inCallersTransaction) {
		if (inCallersTransaction) {
			var connection = DataSourceUtils.getConnection(dataSource);
			try {
				return rows.insertNew(connection, jobs);
			}
			catch (SQLException e) {
				throw new StorageException(e);
			}
			finally {
				DataSourceUtils.releaseConnection(connection, dataSource);
			}
		}
		try (var connection = dataSource.getConnection()) {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			return rows.insertNew(connection, jobs); // one statement: atomic on its own
		}
		catch (SQLException e) {
			throw new StorageException(e);
		}
	}

}
