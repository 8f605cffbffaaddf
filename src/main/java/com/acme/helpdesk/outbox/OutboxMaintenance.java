package com.acme.helpdesk.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.stereotype.Service;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Resubmission and purge of event publications. The recurring jobs have fixed ids, so the whole cluster
 * runs one schedule of each, whatever the number of processes.
 */
@Service
public class OutboxMaintenance {

	static final String RESUBMIT_JOB_ID = "outbox-resubmit-stale";
	static final String PURGE_JOB_ID = "outbox-purge-completed";

	private static final Logger log = LoggerFactory.getLogger(OutboxMaintenance.class);

	@Schema(name = "EventPublication", description = "An event publication not completed by its listener")
	record Publication(@Schema(description = "The publication's id") UUID id,
			@Schema(description = "The listener that has not completed",
					example = "notifications.notify-status-change") String listenerId,
			@Schema(description = "The event's class", example = "com.acme.helpdesk.tickets.TicketStatusChanged")
			String eventType,
			@Schema(description = "When the event was published") java.time.Instant publishedAt) {
	}

	private final IncompleteEventPublications incomplete;
	private final CompletedEventPublications completed;
	private final JdbcClient jdbc;
	private final OutboxProperties properties;
	private final Clock clock;

	OutboxMaintenance(IncompleteEventPublications incomplete, CompletedEventPublications completed, JdbcClient jdbc,
			OutboxProperties properties, Clock clock) {
		this.incomplete = incomplete;
		this.completed = completed;
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule(ApplicationReadyEvent event) {
		var scheduler = event.getApplicationContext().getBeanProvider(JobScheduler.class).getIfAvailable();
		if (scheduler == null) {
			return;
		}
		scheduler.<OutboxMaintenance>scheduleRecurrently(RESUBMIT_JOB_ID, properties.resubmitCron(),
				maintenance -> maintenance.resubmitStale());
		scheduler.<OutboxMaintenance>scheduleRecurrently(PURGE_JOB_ID, properties.purgeCron(),
				maintenance -> maintenance.purgeCompleted());
	}

	@Job(name = "Resubmit stale event publications")
	public int resubmitStale() {
		return resubmitOlderThan(properties.resubmitOlderThan());
	}

	@Job(name = "Purge completed event publications")
	public void purgeCompleted() {
		completed.deletePublicationsOlderThan(properties.purgeCompletedOlderThan());
	}

	/** Hands every incomplete publication older than {@code age} to its listener again; answers how many. */
	public int resubmitOlderThan(Duration age) {
		var count = countIncompleteOlderThan(age);
		if (count > 0) {
			log.info("Resubmitting {} incomplete event publications older than {}", count, age);
			incomplete.resubmitIncompletePublicationsOlderThan(age);
		}
		return count;
	}

	List<Publication> listIncomplete(int offset, int limit) {
		return jdbc.sql("""
				SELECT id, listener_id, event_type, publication_date FROM event_publication
				WHERE completion_date IS NULL ORDER BY publication_date, id OFFSET ? LIMIT ?""")
			.params(offset, limit)
			.query((rs, row) -> new Publication(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
					rs.getTimestamp(4).toInstant()))
			.list();
	}

	long countIncomplete() {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL")
			.query(Long.class)
			.single();
	}

	private int countIncompleteOlderThan(Duration age) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND publication_date < ?")
			.param(java.sql.Timestamp.from(clock.instant().minus(age)))
			.query(Integer.class)
			.single();
	}
}
