package com.acme.helpdesk.jobs.internal;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.acme.helpdesk.jobs.JobQueue;

/**
 * The sending side of {@link JobNotifications}: told after a commit which queues have new jobs, one thread sends a
 * {@code NOTIFY} per queue for whatever accumulated since its last send (at most one send per 5 ms), on a
 * connection of its own. A burst of
 * publications costs a few notifications instead of one per transaction, and no publishing transaction waits at
 * its commit for PostgreSQL's notification lock (commits that notify take turns on it). A crash between a commit
 * and the send costs the other processes no more than their next poll.
 */
final class JobNotifier implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(JobNotifier.class);

	/** At most one send per this many milliseconds: what comes in meanwhile goes with the next one. */
	private static final long PACE_MILLIS = 5;

	private final DataSource dataSource;
	private final Set<JobQueue> pending = EnumSet.noneOf(JobQueue.class);
	private Thread thread;
	private boolean closed;

	JobNotifier(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** The queues got jobs that may start now; their servers in other processes are to look. */
	synchronized void queuesReady(Set<JobQueue> queues) {
		if (closed || queues.isEmpty()) {
			return;
		}
		pending.addAll(queues);
		if (thread == null) {
			thread = new Thread(this::sendUntilClosed, "job-notifier");
			thread.setDaemon(true);
			thread.start();
		}
		notifyAll();
	}

	@Override
	public synchronized void close() {
		closed = true;
		notifyAll();
	}

	private void sendUntilClosed() {
		while (true) {
			Set<JobQueue> queues;
			synchronized (this) {
				while (pending.isEmpty() && !closed) {
					try {
						wait();
					}
					catch (InterruptedException e) {
						return;
					}
				}
				if (closed) {
					return;
				}
				queues = EnumSet.copyOf(pending);
				pending.clear();
			}
			send(queues);
			try {
				Thread.sleep(PACE_MILLIS);
			}
			catch (InterruptedException e) {
				return;
			}
		}
	}

	private void send(Set<JobQueue> queues) {
		try (var connection = dataSource.getConnection()) {
			connection.setAutoCommit(true);
			try (var statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
				for (var queue : queues) {
					statement.setString(1, JobNotifications.CHANNEL);
					statement.setString(2, queue.queueName() + "|" + JobNotifications.PUBLISHER);
					statement.addBatch();
				}
				statement.executeBatch();
			}
		}
		catch (SQLException | RuntimeException e) {
			log.debug("Notifying queues {} failed; other processes find the jobs at their next poll", queues, e);
		}
	}
}
