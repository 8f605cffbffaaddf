package com.acme.helpdesk.tenancy;

import java.sql.Timestamp;
import java.time.Clock;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import com.acme.helpdesk.shared.Purged;

/**
 * Deletes audit events older than {@code helpdesk.audit.retention}, oldest first, in small batches through
 * {@code audit_event_by_time_idx}, from a recurring job with a fixed id: one schedule for the whole cluster. Public
 * only because JobRunr calls it.
 */
@Service
public class AuditRetention {

	static final String PURGE_JOB_ID = "audit-purge-expired";

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

	private final JdbcClient jdbc;
	private final AuditProperties properties;
	private final Clock clock;

	AuditRetention(JdbcClient jdbc, AuditProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule(ApplicationReadyEvent event) {
		var scheduler = event.getApplicationContext().getBeanProvider(JobScheduler.class).getIfAvailable();
		if (scheduler != null) {
			scheduler.<AuditRetention>scheduleRecurrently(PURGE_JOB_ID, properties.purgeCron(),
					retention -> retention.purgeExpired());
		}
	}

	@Job(name = "Purge expired audit events")
	public Purged purgeExpired() {
		var before = Timestamp.from(clock.instant().minus(properties.retention()));
		var purged = Purged.inBatches(properties.purgeBatchSize(), limit -> jdbc.sql("""
				DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event WHERE at < ? ORDER BY at LIMIT ?)""")
			.params(before, limit)
			.update());
		if (purged.rows() > 0) {
			log.info("Purged {} audit events older than {}", purged.rows(), properties.retention());
		}
		return purged;
	}
}
