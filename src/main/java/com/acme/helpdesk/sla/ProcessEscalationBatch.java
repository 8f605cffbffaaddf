package com.acme.helpdesk.sla;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

/**
 * Use case: the {@code escalation-batch} job of one sweep and merchant: level 1 of each ticket's new escalation (run
 * now when its delay is zero, else scheduled), each ticket in its own transaction. A failing ticket does not stop the
 * others; the batch then fails and its retry re-runs only what did not happen (every level runs once).
 */
@Component
class ProcessEscalationBatch implements JobWorker<EscalationJob.Batch> {

	private static final Logger log = LoggerFactory.getLogger(ProcessEscalationBatch.class);

	private final ProcessEscalation escalation;

	ProcessEscalationBatch(ProcessEscalation escalation) {
		this.escalation = escalation;
	}

	@Override
	public Class<EscalationJob.Batch> jobType() {
		return EscalationJob.Batch.class;
	}

	@Override
	public void run(EscalationJob.Batch job, JobRun run) {
		RuntimeException failure = null;
		for (var ticketId : job.ticketIds()) {
			try {
				escalation.escalate(job.merchantId(), ticketId, 1);
			}
			catch (RuntimeException e) {
				log.warn("Escalation of ticket {} failed: {}", ticketId, e.toString());
				if (failure == null) {
					failure = e;
				}
				else {
					failure.addSuppressed(e);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}
}
