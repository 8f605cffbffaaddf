package com.acme.helpdesk.notifications;

import java.time.Clock;
import java.util.List;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.scheduling.JobScheduler;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;

/**
 * The digest schedule: one recurring job ({@code notification-digest-cron}, every
 * {@code helpdesk.notifications.digest-interval}; a fixed id, so one schedule for the whole cluster) publishes a
 * {@code notification-digest} job on {@code helpdesk.notification} for each agent with collected notifications. The
 * job ids derive from the agent and the interval, so a second round in the same interval adds none.
 */
@Component
public class DigestSchedule {

	static final String RECURRING_JOB_ID = "notification-digest-cron";
	static final String ROUND = "notifications.digest-round";

	private final NotificationStore store;
	private final JobDispatcher dispatcher;
	private final NotificationProperties properties;
	private final Clock clock;

	DigestSchedule(NotificationStore store, JobDispatcher dispatcher, NotificationProperties properties, Clock clock) {
		this.store = store;
		this.dispatcher = dispatcher;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule(ApplicationReadyEvent event) {
		var scheduler = event.getApplicationContext().getBeanProvider(JobScheduler.class).getIfAvailable();
		if (scheduler == null) {
			return;
		}
		scheduler.<DigestSchedule>scheduleRecurrently(RECURRING_JOB_ID, properties.digestInterval(),
				schedule -> schedule.publishDigests());
	}

	/** Publishes the digest jobs of every agent with collected notifications; answers how many. */
	@Job(name = "Publish notification digests")
	public int publishDigests() {
		var interval = Math.max(1, properties.digestInterval().toSeconds());
		var round = clock.instant().getEpochSecond() / interval;
		List<Dispatch<?>> jobs = store.agentsWithCollected()
			.stream()
			.<Dispatch<?>>map(agent -> NotificationJob.digest(agent[0], agent[1]).derivedFrom(ROUND, agent[1], round))
			.toList();
		dispatcher.publishAll(jobs);
		return jobs.size();
	}
}
