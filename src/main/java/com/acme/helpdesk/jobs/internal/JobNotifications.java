package com.acme.helpdesk.jobs.internal;

import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.acme.helpdesk.jobs.JobQueue;

/**
 * Cross-process wake-up through PostgreSQL {@code LISTEN}/{@code NOTIFY}: after the dispatcher's commit,
 * {@link JobNotifier} notifies channel {@value #CHANNEL} with {@code <queue name>|<publisher id>}; every process
 * with job servers listens on one dedicated connection and wakes its server of that queue. A lost notification
 * costs nothing but latency: the servers still poll.
 */
final class JobNotifications {

	static final String CHANNEL = "helpdesk_jobs";

	/** This process's id in notifications, so it does not wake itself twice. */
	static final String PUBLISHER = UUID.randomUUID().toString();

	private static final Logger log = LoggerFactory.getLogger(JobNotifications.class);

	private final DataSource dataSource;
	private final Consumer<JobQueue> wake;
	private volatile boolean running;
	private Thread thread;

	JobNotifications(DataSource dataSource, Consumer<JobQueue> wake) {
		this.dataSource = dataSource;
		this.wake = wake;
	}

	synchronized void start() {
		running = true;
		thread = new Thread(this::listen, "job-notifications");
		thread.setDaemon(true);
		thread.start();
	}

	synchronized void stop() {
		running = false;
		if (thread != null) {
			thread.interrupt();
		}
	}

	private void listen() {
		while (running) {
			try (var connection = dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (var statement = connection.createStatement()) {
					statement.execute("LISTEN " + CHANNEL);
				}
				var pg = connection.unwrap(PGConnection.class);
				while (running) {
					var notifications = pg.getNotifications(1000);
					if (notifications == null) {
						continue;
					}
					for (var notification : notifications) {
						var parameter = notification.getParameter();
						var separator = parameter.indexOf('|');
						if (separator < 0 || parameter.substring(separator + 1).equals(PUBLISHER)) {
							continue;
						}
						try {
							wake.accept(JobQueue.ofName(parameter.substring(0, separator)));
						}
						catch (IllegalArgumentException unknownQueue) {
							// a newer version's queue
						}
					}
				}
			}
			catch (SQLException | RuntimeException e) {
				if (running) {
					log.debug("Listening for job notifications failed; reconnecting", e);
					try {
						Thread.sleep(1000);
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}
	}
}
