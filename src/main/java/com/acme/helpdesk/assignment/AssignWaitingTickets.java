package com.acme.helpdesk.assignment;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

/**
 * The {@code assign-waiting} job: assigns a category's waiting tickets, oldest first, until none is left or
 * no agent has room. Running it again, or two at once, is harmless: each ticket is assigned under its row
 * lock and only while it has no assignee.
 */
@Component
class AssignWaitingTickets implements JobWorker<AssignWaitingJob> {

	private static final int MAX_PER_RUN = 1_000;

	private final WaitingTickets waiting;
	private final AutoAssignTicket autoAssign;

	AssignWaitingTickets(WaitingTickets waiting, AutoAssignTicket autoAssign) {
		this.waiting = waiting;
		this.autoAssign = autoAssign;
	}

	@Override
	public Class<AssignWaitingJob> jobType() {
		return AssignWaitingJob.class;
	}

	@Override
	@Transactional
	public void run(AssignWaitingJob job, JobRun run) {
		for (var ticketId : waiting.oldestInCategory(job.merchantId(), job.categoryId(), MAX_PER_RUN)) {
			if (autoAssign.assign(job.merchantId(), ticketId).isEmpty() && waiting.contains(ticketId)) {
				return;
			}
		}
	}
}
