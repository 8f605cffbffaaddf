package com.acme.helpdesk.jobs.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobListVersioner;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.SchedulableState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.StorageException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.JobUtils;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Writes jobs straight into JobRunr's table with JobRunr's own mapper: in one transaction, ids that exist are left
 * out and the rest are inserted as one batch. Should a concurrent publisher insert one of the ids in between, the
 * batch is retried job by job (an existing id is skipped). After the commit, this process's servers of the touched
 * queues are woken so the jobs start at once; other processes are woken by a {@code NOTIFY} sent in the same
 * transaction ({@link JobNotifications}).
 */
class JdbcJobDispatcher implements JobDispatcher {

	private final DataSource dataSource;
	private final JobMapper jobMapper;
	private final String tablePrefix;
	private final StorageProvider storage;
	private final QueueServers servers;
	private final QueueMetrics metrics;
	private final Clock clock;

	JdbcJobDispatcher(DataSource dataSource, JobMapper jobMapper, String tablePrefix, StorageProvider storage,
			QueueServers servers, QueueMetrics metrics, Clock clock) {
		this.dataSource = dataSource;
		this.jobMapper = jobMapper;
		this.tablePrefix = tablePrefix;
		this.storage = storage;
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
		var inserted = insert(new ArrayList<>(jobs.values()));
		var counts = new EnumMap<JobQueue, Integer>(JobQueue.class);
		for (var job : inserted) {
			counts.merge(QueueHandler.queueOf(job), 1, Integer::sum);
		}
		counts.forEach(metrics::enqueued);
		readyQueues(inserted).forEach(servers::wake);
		return ids;
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
	private List<Job> insert(List<Job> jobs) {
		try (var connection = dataSource.getConnection()) {
			var autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				var existing = existing(connection, jobs);
				var fresh = jobs.stream().filter(job -> !existing.contains(job.getId())).toList();
				if (!fresh.isEmpty()) {
					insertRows(connection, fresh);
					JobNotifications.notify(connection, readyQueues(fresh));
				}
				connection.commit();
				return fresh;
			}
			catch (SQLException | RuntimeException e) {
				connection.rollback();
				return insertOneByOne(jobs);
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException e) {
			throw new StorageException(e);
		}
	}

	/**
	 * The rows {@code JobTable.save} inserts for new jobs (version 1, JobRunr's JSON, signature, state, times), bound
	 * directly: JobTable finds each value by reflection, a sixth of the listener threads' CPU.
	 */
	private void insertRows(java.sql.Connection connection, List<Job> jobs) throws SQLException {
		try (var versions = new JobListVersioner(jobs);
				var statement = connection.prepareStatement("INSERT INTO " + table() + " (id, version, jobAsJson, "
						+ "jobSignature, state, createdAt, updatedAt, scheduledAt, recurringJobId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
			if (!versions.areNewJobs()) {
				throw new IllegalArgumentException("Only new jobs are inserted");
			}
			var utc = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone(java.time.ZoneOffset.UTC));
			for (var job : jobs) {
				statement.setString(1, job.getId().toString());
				statement.setInt(2, job.getVersion());
				statement.setString(3, jobMapper.serializeJob(job));
				statement.setString(4, JobUtils.getJobSignature(job));
				statement.setString(5, job.getState().name());
				statement.setTimestamp(6, java.sql.Timestamp.from(job.getCreatedAt()), utc);
				statement.setTimestamp(7, java.sql.Timestamp.from(job.getUpdatedAt()), utc);
				var scheduledAt = job.getLastJobStateOfType(SchedulableState.class).map(SchedulableState::getScheduledAt);
				if (scheduledAt.isPresent()) {
					statement.setTimestamp(8, java.sql.Timestamp.from(scheduledAt.get()), utc);
				}
				else {
					statement.setNull(8, java.sql.Types.NULL);
				}
				statement.setString(9, job.getRecurringJobId().orElse(null));
				statement.addBatch();
			}
			statement.executeBatch();
			versions.commitVersions();
		}
	}

	private String table() {
		return (tablePrefix == null ? "" : tablePrefix) + "jobrunr_jobs";
	}

	private List<Job> insertOneByOne(List<Job> jobs) {
		var fresh = new ArrayList<Job>();
		for (var job : jobs) {
			try {
				storage.save(job);
				fresh.add(job);
			}
			catch (ConcurrentJobModificationException e) {
				// published before: one job per id
			}
		}
		return fresh;
	}

	private java.util.Set<UUID> existing(java.sql.Connection connection, List<Job> jobs) throws SQLException {
		try (var statement = connection.prepareStatement("SELECT id FROM " + table() + " WHERE id = ANY (?)")) {
			statement.setArray(1,
					connection.createArrayOf("varchar", jobs.stream().map(job -> job.getId().toString()).toArray()));
			var found = new HashSet<UUID>();
			try (var rows = statement.executeQuery()) {
				while (rows.next()) {
					found.add(UUID.fromString(rows.getString(1)));
				}
			}
			return found;
		}
	}
}
