package com.acme.helpdesk.assignment;

import java.util.UUID;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/** Queue {@code helpdesk.assignment}, job {@code assign}: auto-assign a ticket (use case {@code AutoAssignTicket}). */
public record AssignmentJob(UUID merchantId, UUID ticketId) implements HelpdeskJob {

	public static Dispatch<AssignmentJob> assign(UUID merchantId, UUID ticketId) {
		return Dispatch.of(new AssignmentJob(merchantId, ticketId));
	}

	@Override
	public JobQueue queue() {
		return JobQueue.ASSIGNMENT;
	}

	@Override
	public String jobName() {
		return "assign";
	}

	@Override
	public String displayName() {
		return "assign ticket " + ticketId;
	}
}
