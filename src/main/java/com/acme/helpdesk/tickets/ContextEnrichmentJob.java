package com.acme.helpdesk.tickets;

import java.util.UUID;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/** Queue {@code helpdesk.context-enrichment}, job {@code enrich}: enrich a ticket's context ({@code EnrichTicketContext}). */
public record ContextEnrichmentJob(UUID merchantId, UUID ticketId) implements HelpdeskJob {

	public static Dispatch<ContextEnrichmentJob> enrich(UUID merchantId, UUID ticketId) {
		return Dispatch.of(new ContextEnrichmentJob(merchantId, ticketId));
	}

	@Override
	public JobQueue queue() {
		return JobQueue.CONTEXT_ENRICHMENT;
	}

	@Override
	public String jobName() {
		return "enrich";
	}

	@Override
	public String displayName() {
		return "enrich ticket " + ticketId;
	}
}
