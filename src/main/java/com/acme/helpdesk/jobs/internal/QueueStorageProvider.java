package com.acme.helpdesk.jobs.internal;

import static org.jobrunr.jobs.states.StateName.PROCESSING;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobId;
import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.jobs.filters.JobFilterUtils;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.BackgroundJobServerStatus;
import org.jobrunr.storage.JobRunrMetadata;
import org.jobrunr.storage.JobStats;
import org.jobrunr.storage.Page;
import org.jobrunr.storage.RecurringJobsResult;
import org.jobrunr.storage.StorageException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.listeners.StorageProviderChangeListener;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.storage.navigation.PageRequest;

import com.acme.helpdesk.jobs.JobQueue;

/**
 * The shared storage as one queue's server sees it: everything is delegated, except that the server claims only
 * {@code ENQUEUED} jobs of its queue (by {@code jobSignature}), oldest first, with {@code FOR UPDATE SKIP LOCKED} in
 * the same transaction as their change to {@code PROCESSING}, as JobRunr's own SQL storage does for all jobs; and
 * that a changed job is saved with one UPDATE of its own ({@link JobTableWriter}) instead of JobRunr's reflective
 * {@code JobTable} in a transaction of three round trips (a succeeded one later, with others: {@link SucceededJobWrites}). Jobs saved as {@code ENQUEUED} in a batch (the master
 * moving due scheduled jobs, retries among them) wake this process's servers of their queues, so they start at once
 * instead of at their server's next poll.
 */
final class QueueStorageProvider implements StorageProvider {

	private final StorageProvider delegate;
	private final DataSource dataSource;
	private final JobMapper jobMapper;
	private final String selectSql;
	private final JobTableWriter rows;
	private final Consumer<JobQueue> wake;
	private final SucceededJobWrites succeeded;
	/** Raised at the start of each claim to the value of {@link #published} then: see {@link QueueWaker}. */
	final AtomicLong claimedUpTo = new AtomicLong();
	final AtomicLong published = new AtomicLong();
	/** Set when the server stops taking jobs: claims then find none. */
	private boolean refusing;
	/** Jobs handed to the server by claims, in all. */
	private final AtomicLong claimed = new AtomicLong();

	QueueStorageProvider(StorageProvider delegate, DataSource dataSource, JobMapper jobMapper, String tablePrefix,
			JobQueue queue, Consumer<JobQueue> wake, SucceededJobWrites succeeded) {
		this.delegate = delegate;
		this.wake = wake;
		this.succeeded = succeeded;
		this.dataSource = dataSource;
		this.jobMapper = jobMapper;
		this.rows = new JobTableWriter(jobMapper, tablePrefix);
		var table = (tablePrefix == null || tablePrefix.isBlank() ? "" : tablePrefix) + "jobrunr_jobs";
		this.selectSql = "SELECT jobAsJson FROM " + table + " WHERE state = 'ENQUEUED' AND " + JobSignatures.condition(queue)
				+ " ORDER BY updatedAt ASC LIMIT ? FOR UPDATE SKIP LOCKED";
	}

	/**
	 * Synchronized, so that {@link #refuseClaims} can wait for a claim under way, however JobRunr calls this (its own
	 * task happens to call it from one thread at a time, under a lock of its own).
	 */
	@Override
	public synchronized List<Job> getJobsToProcess(BackgroundJobServer server, AmountRequest amountRequest) {
		claimedUpTo.accumulateAndGet(published.get(), Math::max);
		if (amountRequest.getLimit() <= 0 || refusing) {
			return List.of();
		}
		var filters = new JobFilterUtils(server.getJobFilters());
		try (var connection = dataSource.getConnection()) {
			var autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				var jobs = new ArrayList<Job>();
				try (var statement = connection.prepareStatement(selectSql)) {
					statement.setInt(1, amountRequest.getLimit());
					try (var rows = statement.executeQuery()) {
						while (rows.next()) {
							jobs.add(jobMapper.deserializeJob(rows.getString(1)));
						}
					}
				}
				if (jobs.isEmpty()) {
					connection.commit();
					return List.of();
				}
				jobs.forEach(job -> job.startProcessingOn(server));
				filters.runOnStateElectionFilter(jobs);
				var saved = rows.saveAll(connection, jobs);
				connection.commit();
				filters.runOnStateAppliedFilters(saved);
				var claimedJobs = saved.stream().filter(job -> job.hasState(PROCESSING)).toList();
				claimed.addAndGet(claimedJobs.size());
				return claimedJobs;
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

	/**
	 * From now on claims find no job. Returns once a claim under way (which may still hand jobs to the server) is
	 * over.
	 */
	synchronized void refuseClaims() {
		refusing = true;
	}

	/** Jobs this provider's claims handed to its server since it started. */
	long claimed() {
		return claimed.get();
	}

	// everything else: the shared storage

	@Override
	public StorageProviderInfo getStorageProviderInfo() {
		return delegate.getStorageProviderInfo();
	}

	@Override
	public void setJobMapper(JobMapper jobMapper) {
		// the shared storage has its mapper already
	}

	@Override
	public void setUpStorageProvider(org.jobrunr.storage.StorageProviderUtils.DatabaseOptions databaseOptions) {
		// set up once, by the shared storage
	}

	@Override
	public void addJobStorageOnChangeListener(StorageProviderChangeListener listener) {
		delegate.addJobStorageOnChangeListener(listener);
	}

	@Override
	public void removeJobStorageOnChangeListener(StorageProviderChangeListener listener) {
		delegate.removeJobStorageOnChangeListener(listener);
	}

	@Override
	public void announceBackgroundJobServer(BackgroundJobServerStatus serverStatus) {
		delegate.announceBackgroundJobServer(serverStatus);
	}

	@Override
	public boolean signalBackgroundJobServerAlive(BackgroundJobServerStatus serverStatus) {
		return delegate.signalBackgroundJobServerAlive(serverStatus);
	}

	@Override
	public void signalBackgroundJobServerStopped(BackgroundJobServerStatus serverStatus) {
		delegate.signalBackgroundJobServerStopped(serverStatus);
	}

	@Override
	public List<BackgroundJobServerStatus> getBackgroundJobServers() {
		return delegate.getBackgroundJobServers();
	}

	@Override
	public UUID getLongestRunningBackgroundJobServerId() {
		return delegate.getLongestRunningBackgroundJobServerId();
	}

	@Override
	public int removeTimedOutBackgroundJobServers(Instant heartbeatOlderThan) {
		return delegate.removeTimedOutBackgroundJobServers(heartbeatOlderThan);
	}

	@Override
	public void saveMetadata(JobRunrMetadata metadata) {
		delegate.saveMetadata(metadata);
	}

	@Override
	public List<JobRunrMetadata> getMetadata(String name) {
		return delegate.getMetadata(name);
	}

	@Override
	public JobRunrMetadata getMetadata(String name, String owner) {
		return delegate.getMetadata(name, owner);
	}

	@Override
	public void deleteMetadata(String name) {
		delegate.deleteMetadata(name);
	}

	@Override
	public void deleteMetadata(String name, String owner) {
		delegate.deleteMetadata(name, owner);
	}

	/**
	 * A changed job (claimed, failed, rescheduled) with one UPDATE; a succeeded one a moment later, many per statement
	 * ({@link SucceededJobWrites}); a new one as JobRunr inserts it.
	 */
	@Override
	public Job save(Job job) {
		if (job.getVersion() == 0) {
			return delegate.save(job);
		}
		if (succeeded != null && succeededBefore(job)) {
			succeeded.add(job);
			return job;
		}
		try (var connection = dataSource.getConnection()) {
			if (connection.getAutoCommit()) {
				return rows.save(connection, job);
			}
			try {
				rows.save(connection, job);
				connection.commit();
				return job;
			}
			catch (SQLException | RuntimeException e) {
				connection.rollback();
				throw e;
			}
		}
		catch (SQLException e) {
			throw new StorageException(e);
		}
	}

	/**
	 * JobRunr's jobs as it saves them in lists; a succeeded one among them (a job that finished while JobRunr's task
	 * that refreshes the jobs in progress had it in hand) joins the queue of {@link SucceededJobWrites} after its own
	 * write, which the check of its version in the table would otherwise refuse until that write is done.
	 */
	@Override
	public List<Job> save(List<Job> jobs) {
		if (jobs.isEmpty()) {
			return jobs;
		}
		if (succeeded != null) {
			var finished = jobs.stream().filter(QueueStorageProvider::succeededBefore).toList();
			if (!finished.isEmpty()) {
				finished.forEach(succeeded::add);
				var saved = new ArrayList<>(save(jobs.stream().filter(job -> !succeededBefore(job)).toList()));
				saved.addAll(finished);
				return saved;
			}
		}
		var saved = delegate.save(jobs);
		var enqueued = EnumSet.noneOf(JobQueue.class);
		for (var job : saved) {
			var queue = job.getState() == StateName.ENQUEUED ? QueueHandler.queueOf(job) : null;
			if (queue != null) {
				enqueued.add(queue);
			}
		}
		enqueued.forEach(wake);
		return saved;
	}

	private static boolean succeededBefore(Job job) {
		return job.getState() == StateName.SUCCEEDED && job.getVersion() > 0;
	}

	@Override
	public Job getJobById(UUID id) {
		return delegate.getJobById(id);
	}

	@Override
	public Job getJobById(JobId jobId) {
		return delegate.getJobById(jobId);
	}

	@Override
	public long countJobs(StateName state) {
		return delegate.countJobs(state);
	}

	@Override
	public List<Job> getJobList(StateName state, Instant updatedBefore, AmountRequest amountRequest) {
		return delegate.getJobList(state, updatedBefore, amountRequest);
	}

	@Override
	public List<Job> getJobList(StateName state, AmountRequest amountRequest) {
		return delegate.getJobList(state, amountRequest);
	}

	@Override
	public Page<Job> getJobs(StateName state, PageRequest pageRequest) {
		return delegate.getJobs(state, pageRequest);
	}

	@Override
	public List<Job> getCarbonAwareJobList(Instant deadlineBefore, AmountRequest amountRequest) {
		return delegate.getCarbonAwareJobList(deadlineBefore, amountRequest);
	}

	/**
	 * JobRunr asks for the jobs due up to one poll interval ahead and starts them early; a retry's back-off and a
	 * job's delay are minimums, so only the jobs already due are handed out.
	 */
	@Override
	public List<Job> getScheduledJobs(Instant scheduledBefore, AmountRequest amountRequest) {
		var now = Instant.now();
		return delegate.getScheduledJobs(scheduledBefore.isAfter(now) ? now : scheduledBefore, amountRequest);
	}

	@Override
	public int deletePermanently(UUID id) {
		return delegate.deletePermanently(id);
	}

	@Override
	public int deleteJobsPermanently(StateName state, Instant updatedBefore) {
		return delegate.deleteJobsPermanently(state, updatedBefore);
	}

	@Override
	public Set<String> getDistinctJobSignatures(StateName... states) {
		return delegate.getDistinctJobSignatures(states);
	}

	@Override
	public Instant getRecurringJobLatestScheduledInstant(String recurringJobId, StateName... states) {
		return delegate.getRecurringJobLatestScheduledInstant(recurringJobId, states);
	}

	@Override
	public RecurringJob saveRecurringJob(RecurringJob recurringJob) {
		return delegate.saveRecurringJob(recurringJob);
	}

	@Override
	public RecurringJobsResult getRecurringJobs() {
		return delegate.getRecurringJobs();
	}

	@Override
	public boolean recurringJobsUpdated(Long recurringJobsUpdatedHash) {
		return delegate.recurringJobsUpdated(recurringJobsUpdatedHash);
	}

	@Override
	public int deleteRecurringJob(String id) {
		return delegate.deleteRecurringJob(id);
	}

	@Override
	public JobStats getJobStats() {
		return delegate.getJobStats();
	}

	@Override
	public void publishTotalAmountOfSucceededJobs(int amount) {
		delegate.publishTotalAmountOfSucceededJobs(amount);
	}

	@Override
	public void close() {
		// the shared storage is closed by its owner
	}

	@Override
	public void validatePollInterval(Duration pollInterval) {
		delegate.validatePollInterval(pollInterval);
	}

	@Override
	public void validateRecurringJobInterval(Duration durationBetweenRecurringJobInstances) {
		delegate.validateRecurringJobInterval(durationBetweenRecurringJobInstances);
	}
}
