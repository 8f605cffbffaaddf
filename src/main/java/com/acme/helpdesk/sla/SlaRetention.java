package com.acme.helpdesk.sla;

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

import com.acme.helpdesk.shared.ProcessedEventProperties;
import com.acme.helpdesk.shared.Purged;

/**
 * Deletes this module's records of handled events ({@code sla_processed_event}, see {@link SlaClocks#claim}) older
 * than {@code helpdesk.processed-events.retention}, the window every listener's records share (checked at start-up
 * against the outbox's redelivery by {@code shared.ProcessedEventRetention}), oldest first, in batches through
 * {@code sla_processed_event_by_time_idx}, from a recurring job with a fixed id. Public only because JobRunr calls it.
 */
@Component
public class SlaRetention {

	static final String PURGE_JOB_ID = "sla-processed-events-purge";

	private static final Logger log = LoggerFactory.getLogger(SlaRetention.class);

	private final JdbcClient jdbc;
	private final ProcessedEventProperties properties;
	private final Clock clock;

	SlaRetention(JdbcClient jdbc, ProcessedEventProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule(ApplicationReadyEvent event) {
		var scheduler = event.getApplicationContext().getBeanProvider(JobScheduler.class).getIfAvailable();
		if (scheduler != null) {
			scheduler.<SlaRetention>scheduleRecurrently(PURGE_JOB_ID, properties.purgeCron(),
					retention -> retention.purgeExpired());
		}
	}

	@Job(name = "Purge expired SLA processed-event records")
	public Purged purgeExpired() {
		var before = Timestamp.from(clock.instant().minus(properties.retention()));
		var purged = Purged.inBatches(properties.purgeBatchSize(), limit -> jdbc.sql("""
				DELETE FROM sla_processed_event WHERE (listener_id, event_id) IN (
				  SELECT listener_id, event_id FROM sla_processed_event WHERE processed_at < ?
				  ORDER BY processed_at LIMIT ?)""")
			.params(before, limit)
			.update());
		if (purged.rows() > 0) {
			log.info("Purged {} SLA processed-event records older than {}", purged.rows(), properties.retention());
		}
		return purged;
	}
}
