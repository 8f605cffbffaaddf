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
 * Writes jobs straight into JobRunr's table ({@link JobRows}), in one statement that skips ids already there.
 * Inside an open transaction (see {@link CallerTransaction}) the rows are written with the caller's connection and
 * commit or roll back with the caller's work; otherwise in a transaction of their own. After the commit, this
 * process's servers of the touched queues are woken so the jobs start at once; other processes are woken by a
 * {@code NOTIFY} sent in the same transaction ({@link JobNotifications}).
 */
class JdbcJobDispatcher implements JobDispatcher {

	private final DataSource dataSource;
	private final JobRows rows;
	private final QueueServers servers;
	private final QueueMetrics metrics;
	private final Clock clock;

	JdbcJobDispatcher(DataSource dataSource, JobMapper jobMapper, String tablePrefix, QueueServers servers,
			QueueMetrics metrics, Clock clock) {
		this.dataSource = dataSource;
		this.rows = new JobRows(jobMapper, tablePrefix);
		this.servers = servers;
		this.metrics = metrics;
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
		var inCallersTransaction = CallerTransaction.isOpen();
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

	/** Counts the new jobs and wakes this process's servers of their queues. */
	private void announce(List<Job> inserted) {
		var counts = new EnumMap<JobQueue, Integer>(JobQueue.class);
		for (var job : inserted) {
			counts.merge(QueueHandler.queueOf(job), 1, Integer::sum);
		}
		counts.forEach(metrics::enqueued);
		readyQueues(inserted).forEach(servers::wake);
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

	private static Job toJob(Dispatch<?> dispatch, java.time.Instant now) {
		var payload = dispatch.job();
		var details = JobSignatures.details(payload.queue(), dispatch.idempotencyKey(), payload);
		var startAt = dispatch.startAt(now);
		var job = startAt == null ? new Job(dispatch.id(), details)
				: new Job(dispatch.id(), details, new ScheduledState(startAt, "Published with a delay"));
		job.setJobName(payload.displayName());
		job.setLabels(List.of(label("queue:" + payload.queue().queueName()), label("job:" + payload.jobName())));
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
				return insertNew(connection, jobs);
			}
			catch (SQLException e) {
				throw new StorageException(e);
			}
			finally {
				DataSourceUtils.releaseConnection(connection, dataSource);
			}
		}
		try (var connection = dataSource.getConnection()) {
			var autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				var fresh = insertNew(connection, jobs);
				connection.commit();
				return fresh;
			}
			catch (SQLException | RuntimeException e) {
				connection.rollback();
				throw e;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException e) {
			throw new StorageException(e);
		}
	}

	private List<Job> insertNew(java.sql.Connection connection, List<Job> jobs) throws SQLException {
		var fresh = rows.insertNew(connection, jobs);
		if (!fresh.isEmpty()) {
			JobNotifications.notify(connection, readyQueues(fresh));
		}
		return fresh;
	}

}
