package com.acme.helpdesk.sla;

import java.util.List;
import java.util.UUID;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Queue {@code helpdesk.escalation} ({@code ProcessEscalation}): {@link Level} (job {@code escalation}) and
 * {@link Batch} ({@code escalation-batch}).
 */
public sealed interface EscalationJob extends HelpdeskJob {

	/** Processes one escalation level of a breached ticket. */
	static Dispatch<Level> process(UUID merchantId, UUID ticketId, int level) {
		return Dispatch.of(new Level(merchantId, ticketId, level));
	}

	/** Processes several escalations together (the SLA monitor's sweep). */
	static Dispatch<Batch> batch(UUID merchantId, List<UUID> ticketIds) {
		return Dispatch.of(new Batch(merchantId, List.copyOf(ticketIds)));
	}

	UUID merchantId();

	@Override
	default JobQueue queue() {
		return JobQueue.ESCALATION;
	}

	record Level(UUID merchantId, UUID ticketId, int level) implements EscalationJob {

		@Override
		public String jobName() {
			return "escalation";
		}

		@Override
		public String displayName() {
			return "escalation level " + level + " ticket " + ticketId;
		}
	}

	record Batch(UUID merchantId, List<UUID> ticketIds) implements EscalationJob {

		@Override
		public String jobName() {
			return "escalation-batch";
		}

		@Override
		public String displayName() {
			return "escalation-batch of " + ticketIds.size();
		}
	}
}
