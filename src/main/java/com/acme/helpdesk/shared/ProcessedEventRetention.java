package com.acme.helpdesk.shared;

import java.sql.Timestamp;
import java.time.Clock;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes the {@link ProcessedEvents} records older than {@code helpdesk.processed-events.retention}, oldest first,
 * in batches, from a recurring job with a fixed id (one schedule for the cluster). Refuses to start with a retention
 * shorter than the time the outbox may deliver an event again: a record purged sooner would let that delivery run
 * its listener a second time. Public only because JobRunr calls it.
 */
@Component
public class ProcessedEventRetention {

	static final String PURGE_JOB_ID = "processed-events-purge";

	private static final Logger log = LoggerFactory.getLogger(ProcessedEventRetention.class);

	private final JdbcClient jdbc;
	private final ProcessedEventProperties properties;
	private final Clock clock;

	ProcessedEventRetention(JdbcClient jdbc, ProcessedEventProperties properties, EventRedelivery redelivery,
			Clock clock) {
		redelivery.window().requireCoveredBy("helpdesk.processed-events.retention", properties.retention());
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule(ApplicationReadyEvent event) {
		var scheduler = event.getApplicationContext().getBeanProvider(JobScheduler.class).getIfAvailable();
		if (scheduler != null) {
			scheduler.<ProcessedEventRetention>scheduleRecurrently(PURGE_JOB_ID, properties.purgeCron(),
					retention -> retention.purgeExpired());
		}
	}

	@Job(name = "Purge expired processed-event records")
	public Purged purgeExpired() {
		var before = Timestamp.from(clock.instant().minus(properties.retention()));
		var purged = Purged.inBatches(properties.purgeBatchSize(), limit -> jdbc.sql("""
				DELETE FROM processed_event WHERE (listener_id, event_id) IN (
				  SELECT listener_id, event_id FROM processed_event WHERE processed_at < ? ORDER BY processed_at LIMIT ?)""")
			.params(before, limit)
			.update());
		if (purged.rows() > 0) {
			log.info("Purged {} processed-event records older than {}", purged.rows(), properties.retention());
		}
		return purged;
	}
}
