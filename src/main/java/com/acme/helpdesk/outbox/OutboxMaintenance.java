package com.acme.helpdesk.outbox;

import java.sql.Timestamp;
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
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.stereotype.Service;

import com.acme.helpdesk.shared.Purged;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Resubmission and purge of event publications. The recurring jobs have fixed ids, so the whole cluster
 * runs one schedule of each, whatever the number of processes. Purges delete oldest first, in batches, through the
 * indexes of {@code V2} (completion date; publication date of the incomplete ones).
 */
@Service
public class OutboxMaintenance {

	static final String RESUBMIT_JOB_ID = "outbox-resubmit-stale";
	static final String PURGE_JOB_ID = "outbox-purge-completed";
	static final String GIVE_UP_JOB_ID = "outbox-give-up-incomplete";

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
	private final JdbcClient jdbc;
	private final OutboxProperties properties;
	private final Clock clock;
	private final Counter givenUp;

	OutboxMaintenance(IncompleteEventPublications incomplete, JdbcClient jdbc, OutboxProperties properties, Clock clock,
			MeterRegistry meters) {
		this.incomplete = incomplete;
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
		this.givenUp = Counter.builder("helpdesk.outbox.publications.given.up")
			.description("Incomplete event publications deleted after helpdesk.outbox.purge-incomplete-older-than")
			.register(meters);
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
		scheduler.<OutboxMaintenance>scheduleRecurrently(GIVE_UP_JOB_ID, properties.purgeCron(),
				maintenance -> maintenance.giveUpIncomplete());
	}

	@Job(name = "Resubmit stale event publications")
	public int resubmitStale() {
		return resubmitOlderThan(properties.resubmitOlderThan());
	}

	@Job(name = "Purge completed event publications")
	public Purged purgeCompleted() {
		var before = Timestamp.from(clock.instant().minus(properties.purgeCompletedOlderThan()));
		var purged = Purged.inBatches(properties.purgeBatchSize(), limit -> jdbc.sql("""
				DELETE FROM event_publication WHERE id IN (
				  SELECT id FROM event_publication WHERE completion_date < ? ORDER BY completion_date LIMIT ?)""")
			.params(before, limit)
			.update());
		if (purged.rows() > 0) {
			log.info("Purged {} event publications completed more than {} ago", purged.rows(),
					properties.purgeCompletedOlderThan());
		}
		return purged;
	}

	/**
	 * Deletes the publications still incomplete {@code purge-incomplete-older-than} after they were published: their
	 * listeners failed on every delivery since (a bug, or a side effect that cannot work). Each is logged at WARN with
	 * its listener and counted ({@code helpdesk_outbox_publications_given_up_total}).
	 */
	@Job(name = "Give up incomplete event publications")
	public Purged giveUpIncomplete() {
		var before = Timestamp.from(clock.instant().minus(properties.purgeIncompleteOlderThan()));
		var purged = Purged.inBatches(properties.purgeBatchSize(), limit -> {
			// locked and checked before the delete: one completed by a delivery running meanwhile is left alone
			var deleted = jdbc.sql("""
					WITH expired AS (
					  SELECT id FROM event_publication WHERE completion_date IS NULL AND publication_date < ?
					  ORDER BY publication_date LIMIT ? FOR UPDATE SKIP LOCKED)
					DELETE FROM event_publication p USING expired e WHERE p.id = e.id
					RETURNING p.id, p.listener_id, p.event_type, p.publication_date""")
				.params(before, limit)
				.query((rs, row) -> new Publication(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
						rs.getTimestamp(4).toInstant()))
				.list();
			for (var publication : deleted) {
				log.warn("Gave up event publication {} of listener {} ({}, published {}): still incomplete after {}",
						publication.id(), publication.listenerId(), publication.eventType(), publication.publishedAt(),
						properties.purgeIncompleteOlderThan());
			}
			givenUp.increment(deleted.size());
			return deleted.size();
		});
		return purged;
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
			.param(Timestamp.from(clock.instant().minus(age)))
			.query(Integer.class)
			.single();
	}
}
