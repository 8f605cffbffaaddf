package com.acme.helpdesk.notifications;

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

import com.acme.helpdesk.jobs.JobReruns;
import com.acme.helpdesk.shared.EventRedelivery;
import com.acme.helpdesk.shared.Purged;

/**
 * Deletes notifications created more than {@code helpdesk.notifications.retention} ago, whatever their state (read or
 * not), oldest first, in batches through {@code notification_by_created_at_idx}, from a recurring job with a fixed id.
 * A notification row is also what makes a redelivered source event insert nothing new (its unique key) and what a
 * requeued delivery job delivers, so start-up refuses a retention shorter than the time an event can be delivered
 * again or a job run again. Public only because JobRunr calls it.
 */
@Component
public class NotificationRetention {

	static final String PURGE_JOB_ID = "notifications-purge-expired";

	private static final Logger log = LoggerFactory.getLogger(NotificationRetention.class);

	private final JdbcClient jdbc;
	private final NotificationProperties properties;
	private final Clock clock;

	NotificationRetention(JdbcClient jdbc, NotificationProperties properties, EventRedelivery redelivery,
			JobReruns reruns, Clock clock) {
		redelivery.window().requireCoveredBy("helpdesk.notifications.retention", properties.retention());
		reruns.window().requireCoveredBy("helpdesk.notifications.retention", properties.retention());
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule(ApplicationReadyEvent event) {
		var scheduler = event.getApplicationContext().getBeanProvider(JobScheduler.class).getIfAvailable();
		if (scheduler != null) {
			scheduler.<NotificationRetention>scheduleRecurrently(PURGE_JOB_ID, properties.purgeCron(),
					retention -> retention.purgeExpired());
		}
	}

	@Job(name = "Purge expired notifications")
	public Purged purgeExpired() {
		var before = Timestamp.from(clock.instant().minus(properties.retention()));
		var purged = Purged.inBatches(properties.purgeBatchSize(), limit -> jdbc.sql("""
				DELETE FROM notification WHERE id IN (
				  SELECT id FROM notification WHERE created_at < ? ORDER BY created_at LIMIT ?)""")
			.params(before, limit)
			.update());
		if (purged.rows() > 0) {
			log.info("Purged {} notifications older than {}", purged.rows(), properties.retention());
		}
		return purged;
	}
}
