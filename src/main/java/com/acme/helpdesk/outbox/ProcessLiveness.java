package com.acme.helpdesk.outbox;

import java.net.InetAddress;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.shared.ShutdownOrder;

/**
 * This process in {@code process_instance}: registered before it serves anything, its heartbeat renewed every quarter
 * of {@code helpdesk.outbox.process-timeout}, marked stopped when it has finished its work on shutdown. Every
 * connection of the pool names it ({@code SET helpdesk.process}), so each event publication it writes carries its id
 * ({@code event_publication.process_id}, a column default). Times are the database's, the one clock all processes
 * share.
 */
final class ProcessLiveness implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ProcessLiveness.class);

	/**
	 * This process's identity, fixed before the connection pool exists (its connections carry the id).
	 *
	 * @param id in {@code process_instance.id} and in the publications it writes
	 * @param name host and pid, for people
	 */
	record Identity(String id, String name) {

		static Identity ofThisProcess() {
			return new Identity(UUID.randomUUID().toString(), hostName());
		}

		/** What each pooled connection runs first. */
		String connectionInitSql() {
			return "SET helpdesk.process = '" + id + "'";
		}
	}

	private final String id;
	private final String name;
	private final JdbcClient jdbc;
	private final OutboxProperties properties;
	private ScheduledExecutorService heartbeats;
	private volatile boolean running;
	private volatile boolean failing;

	ProcessLiveness(Identity identity, JdbcClient jdbc, OutboxProperties properties) {
		this.id = identity.id();
		this.name = identity.name();
		this.jdbc = jdbc;
		this.properties = properties;
	}

	String id() {
		return id;
	}

	@Override
	public synchronized void start() {
		if (running) {
			return;
		}
		register();
		heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
			var thread = new Thread(runnable, "process-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		var interval = properties.heartbeatInterval().toMillis();
		heartbeats.scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
		running = true;
		log.info("Process {} ({}) registered; taken for dead after {} without a heartbeat", id, name,
				properties.processTimeout());
	}

	private void register() {
		jdbc.sql("""
				INSERT INTO process_instance (id, name) VALUES (?, ?)
				ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopped_at = NULL""")
			.params(id, name)
			.update();
	}

	private void heartbeat() {
		try {
			var renewed = jdbc.sql("UPDATE process_instance SET heartbeat_at = now() WHERE id = ? AND stopped_at IS NULL")
				.param(id)
				.update();
			if (renewed == 0 && running) {
				// the others took this process for dead (it was held up longer than the timeout) and removed it
				log.warn("Process {} was taken for dead; registering again", id);
				register();
			}
			if (failing) {
				log.info("Process {} signals again", id);
				failing = false;
			}
		}
		catch (RuntimeException e) {
			if (!failing) {
				log.warn("Process {} cannot signal it is alive ({}); after {} the others take over its publications", id,
						e.getMessage(), properties.processTimeout());
				failing = true;
			}
		}
	}

	@Override
	public synchronized void stop() {
		if (!running) {
			return;
		}
		running = false;
		heartbeats.shutdownNow();
		try {
			jdbc.sql("UPDATE process_instance SET stopped_at = now() WHERE id = ?").param(id).update();
			log.info("Process {} signed off", id);
		}
		catch (RuntimeException e) {
			log.warn("Process {} could not sign off; the others take over its publications after {}", id,
					properties.processTimeout(), e);
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return ShutdownOrder.PROCESS;
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
		}
		catch (java.io.IOException e) {
			return "pid-" + ProcessHandle.current().pid();
		}
	}
}
