package com.acme.helpdesk.assignment;

import java.util.UUID;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Queue {@code helpdesk.assignment}, job {@code assign-waiting}: assign a category's waiting tickets, oldest
 * first, while an agent has room (use case {@code AssignWaitingTickets}).
 */
public record AssignWaitingJob(UUID merchantId, UUID categoryId) implements HelpdeskJob {

	public static Dispatch<AssignWaitingJob> assignWaiting(UUID merchantId, UUID categoryId) {
		return Dispatch.of(new AssignWaitingJob(merchantId, categoryId));
	}

	@Override
	public JobQueue queue() {
		return JobQueue.ASSIGNMENT;
	}

	@Override
	public String jobName() {
		return "assign-waiting";
	}

	@Override
	public String displayName() {
		return "assign waiting tickets of category " + categoryId;
	}
}
