package com.acme.helpdesk.outbox;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalApplicationListener;

import com.acme.helpdesk.shared.ShutdownOrder;

/**
 * Takes over the incomplete event publications of processes that stopped or died ({@link ProcessLiveness}): every
 * heartbeat interval, each process claims a batch of them (their {@code process_id} becomes its own, rows locked by
 * another claim skipped) and hands them to their listeners again through Spring Modulith's
 * {@link IncompleteEventPublications}. The publications of live processes are never touched, however old: they are
 * queued or running there (a listener that failed is left to {@link OutboxMaintenance#resubmitStale()}).
 * A process claims only publications of listeners it has (a process of another build may have other listeners).
 */
final class DeadProcessPublications implements SmartLifecycle {

	/** Publications one sweep takes over at most (Spring Modulith reads every incomplete one to resubmit them). */
	static final int BATCH = 10_000;

	private static final Logger log = LoggerFactory.getLogger(DeadProcessPublications.class);

	private final JdbcClient jdbc;
	private final IncompleteEventPublications incomplete;
	private final ProcessLiveness self;
	private final OutboxProperties properties;
	private final ApplicationContext context;
	private Set<String> listenerIds;
	private ScheduledExecutorService sweeps;
	private volatile boolean running;

	DeadProcessPublications(JdbcClient jdbc, IncompleteEventPublications incomplete, ProcessLiveness self,
			OutboxProperties properties, ApplicationContext context) {
		this.jdbc = jdbc;
		this.incomplete = incomplete;
		this.self = self;
		this.properties = properties;
		this.context = context;
	}

	/** Claims the incomplete publications of dead processes and resubmits them here; answers how many. */
	int takeOver() {
		var dead = jdbc.sql("""
				SELECT id FROM process_instance
				WHERE id <> :self AND (stopped_at IS NOT NULL OR heartbeat_at < now() - make_interval(secs => :timeout))""")
			.param("self", self.id())
			.param("timeout", properties.processTimeout().toMillis() / 1000.0)
			.query(String.class)
			.list();
		if (dead.isEmpty()) {
			return 0;
		}
		var claimed = claim(dead);
		if (!claimed.isEmpty()) {
			log.info("Taking over {} incomplete event publications of stopped or dead processes {}", claimed.size(), dead);
			incomplete.resubmitIncompletePublications(publication -> claimed.contains(publication.getIdentifier()));
		}
		var forgotten = jdbc.sql("""
				DELETE FROM process_instance i WHERE i.id IN (:dead)
				AND NOT EXISTS (SELECT 1 FROM event_publication p WHERE p.completion_date IS NULL AND p.process_id = i.id)""")
			.param("dead", dead)
			.update();
		if (forgotten > 0) {
			log.debug("Forgot {} stopped or dead processes with nothing left", forgotten);
		}
		return claimed.size();
	}

	private Set<UUID> claim(List<String> dead) {
		var listeners = listenerIds();
		if (listeners.isEmpty()) {
			return Set.of();
		}
		return Set.copyOf(jdbc.sql("""
				UPDATE event_publication SET process_id = :self WHERE id IN (
				  SELECT id FROM event_publication
				  WHERE completion_date IS NULL AND process_id IN (:dead) AND listener_id IN (:listeners)
				  ORDER BY publication_date LIMIT :batch FOR UPDATE SKIP LOCKED)
				RETURNING id""")
			.param("self", self.id())
			.param("dead", dead)
			.param("listeners", listeners)
			.param("batch", BATCH)
			.query(UUID.class)
			.list());
	}

	/** The ids of this process's listeners that have publications, as Spring Modulith selects them. */
	private synchronized Set<String> listenerIds() {
		if (listenerIds == null) {
			Collection<?> listeners = context instanceof AbstractApplicationContext application
					? application.getApplicationListeners() : List.of();
			listenerIds = listeners.stream()
				.filter(TransactionalApplicationListener.class::isInstance)
				.map(TransactionalApplicationListener.class::cast)
				.filter(listener -> listener.getTransactionPhase() == TransactionPhase.AFTER_COMMIT)
				.map(TransactionalApplicationListener::getListenerId)
				.collect(Collectors.toUnmodifiableSet());
		}
		return listenerIds;
	}

	private void sweep() {
		try {
			takeOver();
		}
		catch (RuntimeException e) {
			log.warn("Could not take over the publications of dead processes: {}", e.getMessage());
		}
	}

	@Override
	public synchronized void start() {
		if (running || !properties.takeOver()) {
			return;
		}
		sweeps = Executors.newSingleThreadScheduledExecutor(runnable -> {
			var thread = new Thread(runnable, "dead-process-publications");
			thread.setDaemon(true);
			return thread;
		});
		sweeps.scheduleWithFixedDelay(this::sweep, 0, properties.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
		running = true;
	}

	@Override
	public synchronized void stop() {
		if (!running) {
			return;
		}
		running = false;
		sweeps.shutdown();
		try {
			sweeps.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return ShutdownOrder.NEW_WORK;
	}
}
