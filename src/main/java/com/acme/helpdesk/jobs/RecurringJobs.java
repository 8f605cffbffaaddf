package com.acme.helpdesk.jobs;

import java.time.ZoneId;

/**
 * Recurring jobs on the named queues: a fixed id, so any number of processes make one schedule. JobRunr's master
 * server makes the instances and skips a run while the previous one is still scheduled, enqueued or processing.
 */
public interface RecurringJobs {

	/** Creates or updates the recurring job {@code id}: {@code job} on its queue at every {@code cron} in {@code zone}. */
	void scheduleRecurrently(String id, String cron, ZoneId zone, HelpdeskJob job);
}
