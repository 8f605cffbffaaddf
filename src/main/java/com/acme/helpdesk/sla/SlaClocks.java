package com.acme.helpdesk.sla;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.tickets.Priority;
import com.acme.helpdesk.tickets.TicketStatus;

/**
 * Use case: starts, pauses, resumes, stops and restarts a ticket's SLA clocks as the ticket changes. Every change is
 * applied at the time the ticket changed (the event's {@code occurredAt}), not when the event is delivered, so a
 * late delivery computes the same due times. Rules:
 * <ul>
 * <li>created: one clock per metric from the merchant's policy for the ticket's priority (no policy, no clock);</li>
 * <li>{@code -> PENDING}: running clocks pause; {@code PENDING -> OPEN | IN_PROGRESS}: they resume;</li>
 * <li>first public agent reply: the first-response clock stops;</li>
 * <li>{@code -> RESOLVED | CLOSED}: every clock stops;</li>
 * <li>reopen ({@code RESOLVED -> OPEN}): the resolution clock restarts with its full target from the reopen, as a new
 * cycle (warning and breach can fire again, once per cycle); a stopped first-response clock stays stopped.</li>
 * </ul>
 */
@Service
class SlaClocks {

	private static final Logger log = LoggerFactory.getLogger(SlaClocks.class);

	private final SlaClockRepository clocks;
	private final SlaPolicies policies;
	private final SlaHistory history;
	private final ApplicationEventPublisher events;
	private final JdbcClient jdbc;
	private final Clock clock;

	SlaClocks(SlaClockRepository clocks, SlaPolicies policies, SlaHistory history, ApplicationEventPublisher events,
			JdbcClient jdbc, Clock clock) {
		this.clocks = clocks;
		this.policies = policies;
		this.history = history;
		this.events = events;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Starts the ticket's clocks, in the transaction that creates the ticket (so exactly once, and before any later
	 * event of the ticket can be published).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void start(UUID merchantId, UUID ticketId, Priority priority, Instant createdAt) {
		policies.find(merchantId, priority).ifPresent(policy -> clocks.saveAll(List.of(
				SlaClock.start(merchantId, ticketId, SlaMetric.FIRST_RESPONSE, policy.firstResponse(),
						policy.warningPercent(), policy.businessHours(), createdAt),
				SlaClock.start(merchantId, ticketId, SlaMetric.RESOLUTION, policy.resolution(),
						policy.warningPercent(), policy.businessHours(), createdAt))));
	}

	/**
	 * Applies a status change once per event ({@code sla_processed_event}): a replay changes nothing.
	 */
	@Transactional
	void statusChanged(String listenerId, UUID eventId, UUID merchantId, UUID ticketId, TicketStatus from,
			TicketStatus to, Instant at) {
		if (!claim(listenerId, eventId)) {
			return;
		}
		for (var c : clocks.findForUpdateByMerchantIdAndTicketIdOrderByMetric(merchantId, ticketId)) {
			boolean changed;
			if (to == TicketStatus.RESOLVED || to == TicketStatus.CLOSED) {
				changed = stop(c, at);
			}
			else if (to == TicketStatus.PENDING) {
				changed = c.pause(at);
			}
			else if (from == TicketStatus.RESOLVED && to == TicketStatus.OPEN) {
				changed = c.metric() == SlaMetric.RESOLUTION && restart(c, at);
			}
			else if (from == TicketStatus.PENDING) {
				changed = c.resume(at);
			}
			else {
				changed = false;
			}
			log.debug("ticket {} {} -> {}: {} clock {}", ticketId, from, to, c.metric(), changed ? c.state() : "unchanged");
		}
	}

	/** The first public agent reply stops the first-response clock (naturally idempotent: a stopped clock stays). */
	@Transactional
	void firstResponse(UUID merchantId, UUID ticketId, Instant at) {
		clocks.findForUpdateByMerchantIdAndTicketIdOrderByMetric(merchantId, ticketId)
			.stream()
			.filter(c -> c.metric() == SlaMetric.FIRST_RESPONSE)
			.forEach(c -> stop(c, at));
	}

	/** Stops the clock and, when it changed, publishes {@link SlaClockStopped} in this transaction. */
	private boolean stop(SlaClock c, Instant at) {
		if (!c.stop(at)) {
			return false;
		}
		events.publishEvent(new SlaClockStopped(UUID.randomUUID(), c.ticketId(), c.merchantId(), c.id(), c.metric(),
				c.cycle(), c.breached(), at));
		return true;
	}

	/** Restarts the clock, keeping the cycle it ends in {@code sla_clock_cycle}. */
	private boolean restart(SlaClock c, Instant at) {
		var finished = new SlaHistory.FinishedCycle(c.id(), c.cycle(), c.merchantId(), c.ticketId(), c.metric(),
				c.startedAt(), c.dueAt(), c.breached(), c.stoppedAt());
		if (!c.restart(at)) {
			return false;
		}
		history.archive(finished);
		return true;
	}

	@Transactional(readOnly = true)
	List<SlaClock> of(UUID merchantId, UUID ticketId) {
		return clocks.findByMerchantIdAndTicketIdOrderByMetric(merchantId, ticketId);
	}

	/** Records a listener's delivery of an event in the caller's transaction; false when it was applied before. */
	boolean claim(String listenerId, UUID eventId) {
		return jdbc.sql("INSERT INTO sla_processed_event (listener_id, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
			.params(listenerId, eventId, Timestamp.from(clock.instant()))
			.update() == 1;
	}
}
