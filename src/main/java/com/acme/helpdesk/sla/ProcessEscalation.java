package com.acme.helpdesk.sla;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.tickets.TicketPriorities;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.Tickets;

/**
 * Use case: runs one escalation level of a ticket in breach (job {@code escalation}; {@code escalation-batch} runs
 * level 1 for each ticket of a sweep). In one transaction, with the ticket's active escalation locked:
 * <ul>
 * <li>the level runs only when it is the escalation's next level (a re-run or a replayed job changes nothing) and its
 * delay after the breach has passed (else it is scheduled for then);</li>
 * <li>when the ticket is no longer in breach (resolved, closed, or no clock breached and still counting: answered,
 * reopened) the escalation ends and no further level runs;</li>
 * <li>else the level's action runs ({@code NOTIFY_SUPERVISOR}: the event; {@code REASSIGN}: {@link EscalationReassigner};
 * {@code RAISE_PRIORITY}: {@link TicketPriorities}), {@link TicketEscalated} is published and the escalation moves to
 * the next level.</li>
 * </ul>
 * After the commit, the next level's job is published with a deterministic id (per escalation and level) to start
 * at breach + its delay; a run that finds its level already done publishes it again (skipped when it exists), so a
 * crash between commit and publish loses nothing.
 */
@Component
class ProcessEscalation implements JobWorker<EscalationJob.Level> {

	static final String JOB_ID_SOURCE = "sla.escalation";

	private static final Logger log = LoggerFactory.getLogger(ProcessEscalation.class);

	private final Escalations escalations;
	private final SlaHistory history;
	private final EscalationPolicies policies;
	private final SlaClockRepository clocks;
	private final Tickets tickets;
	private final TicketPriorities priorities;
	private final ObjectProvider<EscalationReassigner> reassigner;
	private final ApplicationEventPublisher events;
	private final JobDispatcher dispatcher;
	private final TransactionTemplate transactions;
	private final Clock clock;

	ProcessEscalation(Escalations escalations, SlaHistory history, EscalationPolicies policies, SlaClockRepository clocks, Tickets tickets,
			TicketPriorities priorities, ObjectProvider<EscalationReassigner> reassigner,
			ApplicationEventPublisher events, JobDispatcher dispatcher, TransactionTemplate transactions, Clock clock) {
		this.escalations = escalations;
		this.history = history;
		this.policies = policies;
		this.clocks = clocks;
		this.tickets = tickets;
		this.priorities = priorities;
		this.reassigner = reassigner;
		this.events = events;
		this.dispatcher = dispatcher;
		this.transactions = transactions;
		this.clock = clock;
	}

	@Override
	public Class<EscalationJob.Level> jobType() {
		return EscalationJob.Level.class;
	}

	@Override
	public void run(EscalationJob.Level job, JobRun run) {
		var outcome = execute(job.merchantId(), job.ticketId(), job.level());
		if (outcome.early()) {
			// started before its time (clocks of two nodes apart): fail the attempt, the queue retries it
			throw new IllegalStateException("escalation level %d of ticket %s is not due yet".formatted(job.level(),
					job.ticketId()));
		}
	}

	/** Runs level {@code level} of the ticket's active escalation if due; answers whether it ran. */
	boolean escalate(UUID merchantId, UUID ticketId, int level) {
		return execute(merchantId, ticketId, level).ran();
	}

	private Outcome execute(UUID merchantId, UUID ticketId, int level) {
		var outcome = transactions.execute(status -> runLevel(merchantId, ticketId, level));
		outcome.next().ifPresent(dispatcher::publish);
		return outcome;
	}

	private record Outcome(boolean ran, boolean early, Optional<Dispatch<EscalationJob.Level>> next) {

		Outcome(boolean ran, Optional<Dispatch<EscalationJob.Level>> next) {
			this(ran, false, next);
		}
	}

	private Outcome runLevel(UUID merchantId, UUID ticketId, int level) {
		var found = escalations.activeForUpdate(merchantId, ticketId);
		if (found.isEmpty()) {
			return new Outcome(false, Optional.empty());
		}
		var escalation = found.get();
		var policy = policies.of(merchantId);
		if (escalation.nextLevel() != level) {
			// done before (a re-run) or not yet due: make sure the next level is scheduled
			return new Outcome(false, next(escalation, escalation.nextLevel(), policy));
		}
		var now = clock.instant();
		var definition = policy.level(level);
		if (definition == null) {
			escalations.advance(escalation.id(), level, Escalations.State.COMPLETED, now);
			return new Outcome(false, Optional.empty());
		}
		if (escalation.breachedAt().plus(definition.after()).isAfter(now)) {
			return new Outcome(false, true, next(escalation, level, policy));
		}
		var ticket = tickets.find(merchantId, ticketId).orElse(null);
		var inBreach = ticket != null && ticket.status() != TicketStatus.RESOLVED
				&& ticket.status() != TicketStatus.CLOSED
				&& clocks.findForUpdateByMerchantIdAndTicketIdOrderByMetric(merchantId, ticketId)
					.stream()
					.anyMatch(SlaClock::inBreach);
		if (!inBreach) {
			log.info("Escalation {} of ticket {} ends before level {}: no longer in breach", escalation.id(), ticketId,
					level);
			escalations.advance(escalation.id(), level, Escalations.State.ENDED, now);
			return new Outcome(false, Optional.empty());
		}
		UUID newAssignee = null;
		switch (definition.action()) {
			case RAISE_PRIORITY -> priorities.raise(merchantId, ticketId, "SLA escalation level " + level);
			case REASSIGN -> {
				var implementation = reassigner.getIfAvailable();
				if (implementation == null) {
					log.warn("Escalation level {} of ticket {} wants REASSIGN but no EscalationReassigner exists", level,
							ticketId);
				}
				else {
					newAssignee = implementation.reassign(merchantId, ticketId, ticket.assigneeId()).orElse(null);
				}
			}
			case NOTIFY_SUPERVISOR -> {
			}
		}
		history.escalated(escalation.id(), level, merchantId, ticketId, now);
		events.publishEvent(new TicketEscalated(UUID.randomUUID(), ticketId, merchantId, escalation.id(), level,
				definition.action(), List.copyOf(definition.supervisorAgentIds()), newAssignee, escalation.breachedAt(),
				now));
		var hasNext = policy.level(level + 1) != null;
		escalations.advance(escalation.id(), level + 1,
				hasNext ? Escalations.State.ACTIVE : Escalations.State.COMPLETED, now);
		return new Outcome(true, next(escalation, level + 1, policy));
	}

	/** The job of level {@code level} of an escalation, to start at breach + the level's delay. */
	private Optional<Dispatch<EscalationJob.Level>> next(Escalations.Escalation escalation, int level,
			EscalationPolicy policy) {
		var definition = policy.level(level);
		if (definition == null) {
			return Optional.empty();
		}
		return Optional.of(EscalationJob.process(escalation.merchantId(), escalation.ticketId(), level)
			.derivedFrom(JOB_ID_SOURCE, escalation.id(), level)
			.notBefore(escalation.breachedAt().plus(definition.after())));
	}
}
