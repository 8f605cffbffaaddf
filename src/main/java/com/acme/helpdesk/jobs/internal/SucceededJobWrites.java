package com.acme.helpdesk.jobs.internal;

import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobVersioner;
import org.jobrunr.jobs.mappers.JobMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the jobs this process's workers finish many per statement, a moment after they finish. Saved one by one,
 * each finished job was an autocommitted transaction of its own, the last of every job.
 * <p>
 * Until its row is written a finished job reads as {@code PROCESSING}. A crash in that moment leaves it so, and JobRunr
 * fails it as orphaned and runs it again, which every job's idempotency allows. The version check stays: a job changed
 * meanwhile (deleted from the dashboard, say) keeps its row.
 */
final class SucceededJobWrites implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SucceededJobWrites.class);
	private static final int MAX_BATCH = 500;
	private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private record Row(String id, int version, String json, LocalDateTime updatedAt, LocalDateTime scheduledAt) {
	}

	private final DataSource dataSource;
	private final JobMapper jobMapper;
	private final String updateSql;
	private final BlockingQueue<Row> queue = new LinkedBlockingQueue<>();
	private final Thread writer = new Thread(this::writeQueued, "succeeded-job-writer");
	private final AtomicLong batches = new AtomicLong();
	private volatile boolean running = true;

	SucceededJobWrites(DataSource dataSource, JobMapper jobMapper, String tablePrefix) {
		this.dataSource = dataSource;
		this.jobMapper = jobMapper;
		var table = (tablePrefix == null ? "" : tablePrefix) + "jobrunr_jobs";
		// one UPDATE per job, by primary key, in one batch and one transaction: a join with unnest(...) was planned
		// as a sequential scan while the table's statistics were still those of an empty one
		this.updateSql = "UPDATE " + table + " SET version = ?, jobAsJson = ?, state = 'SUCCEEDED', updatedAt = ?, "
				+ "scheduledAt = ? WHERE id = ? AND version = ?";
		writer.setDaemon(true);
	}

	SucceededJobWrites start() {
		writer.start();
		return this;
	}

	/** Takes a job that has just succeeded; it counts as saved (its version is raised) and is written shortly. */
	void add(Job job) {
		try (var versioner = new JobVersioner(job)) {
			queue.add(new Row(job.getId().toString(), job.getVersion(), jobMapper.serializeJob(job),
					JobTableWriter.utc(job.getUpdatedAt()), JobTableWriter.scheduledAt(job).map(JobTableWriter::utc).orElse(null)));
			versioner.commitVersion();
		}
	}

	/** Batches written so far. */
	long batches() {
		return batches.get();
	}

	private void writeQueued() {
		var batch = new ArrayList<Row>(MAX_BATCH);
		while (running || !queue.isEmpty()) {
			try {
				var first = queue.poll(1, TimeUnit.SECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				if (running) {
					// lets the other workers finishing now join this batch
					LockSupport.parkNanos(LINGER_NANOS);
				}
				queue.drainTo(batch, MAX_BATCH - 1);
				write(batch);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (SQLException | RuntimeException e) {
				// the rows read PROCESSING until JobRunr fails them as orphaned and runs them again
				log.warn("Could not write {} succeeded jobs", batch.size(), e);
			}
			batch.clear();
		}
	}

	private void write(List<Row> rows) throws SQLException {
		int written = 0;
		try (var connection = dataSource.getConnection()) {
			var autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (var statement = connection.prepareStatement(updateSql)) {
				for (var row : rows) {
					statement.setInt(1, row.version());
					statement.setString(2, row.json());
					statement.setObject(3, row.updatedAt());
					statement.setObject(4, row.scheduledAt(), Types.TIMESTAMP);
					statement.setString(5, row.id());
					statement.setInt(6, row.version() - 1);
					statement.addBatch();
				}
				for (var count : statement.executeBatch()) {
					written += count;
				}
				connection.commit();
			}
			catch (SQLException | RuntimeException e) {
				connection.rollback();
				throw e;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		batches.incrementAndGet();
		if (written < rows.size()) {
			log.info("{} of {} succeeded jobs had changed meanwhile and keep their newer state", rows.size() - written,
					rows.size());
		}
	}

	/** Writes what is queued, then stops. */
	@Override
	public void close() throws InterruptedException {
		running = false;
		if (writer.isAlive()) {
			writer.join(Duration.ofSeconds(10).toMillis());
		}
		else if (!queue.isEmpty()) {
			writeQueued();
		}
	}
}
