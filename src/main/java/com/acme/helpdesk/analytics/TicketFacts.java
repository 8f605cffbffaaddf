package com.acme.helpdesk.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.acme.helpdesk.sla.BusinessHours;
import com.acme.helpdesk.sla.SlaMetric;
import com.acme.helpdesk.sla.SlaTimelines.TicketSla;
import com.acme.helpdesk.surveys.AnsweredSurveys.Answer;
import com.acme.helpdesk.tickets.AuthorType;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketTimelines.AssigneeChange;
import com.acme.helpdesk.tickets.TicketTimelines.StatusChange;
import com.acme.helpdesk.tickets.TicketTimelines.TicketTimeline;

/**
 * What one ticket adds to the figures, read from its sources ({@link #of}): whom and what it counts for now (its
 * current agent, category, tags and priority: a reassignment moves all its figures) and every count and duration with
 * the instant it is counted at. Stored as the ticket's last counted facts ({@code analytics_ticket.facts}), so its
 * {@link #contribution()} can be taken back exactly when it is recounted.
 *
 * @param agentId the current assignee, {@code null} when unassigned (then no {@link Dimension#AGENT} row)
 * @param categoryId {@code null} without a category
 * @param priority the current priority's name
 */
record TicketFacts(UUID ticketId, UUID agentId, UUID categoryId, List<UUID> tagIds, String priority,
		List<Count> counts, List<Timing> timings) {

	/** {@code by} added to {@code figure} at {@code at}. */
	record Count(Figure figure, Instant at, long by) {
	}

	/** One duration of {@code metric}, counted at {@code at}. */
	record Timing(DurationMetric metric, Instant at, long millis) {
	}

	TicketFacts {
		tagIds = List.copyOf(tagIds);
		counts = List.copyOf(counts);
		timings = List.copyOf(timings);
	}

	/**
	 * The facts of a ticket by the definitions of docs/analytics.md:
	 * <ul>
	 * <li>created at creation; resolved and closed at each transition into RESOLVED / CLOSED; reopened at each
	 * transition from RESOLVED or CLOSED into an open state (OPEN, IN_PROGRESS, PENDING);</li>
	 * <li>customer messages: messages by the customer; agent replies: public (not internal) agent messages;</li>
	 * <li>first response time: creation to the first public agent reply, counted at the reply; resolution time:
	 * creation to each transition into RESOLVED, counted at it; their business variants measure the same intervals in
	 * the business hours of the ticket's SLA clock of that metric, only when that clock has business hours;</li>
	 * <li>SLA per clock cycle: breached (counted at its due time) when the clock breached, met (counted when it
	 * stopped) when it stopped without breach, nothing while it runs or is paused;</li>
	 * <li>escalations: each escalation level that ran, at its time; CSAT: the answer's score at the answer's time;</li>
	 * <li>backlog: open (OPEN, IN_PROGRESS), pending (PENDING) and unassigned (open or pending without an assignee) as
	 * changes: +1 entering at the instant, -1 leaving.</li>
	 * </ul>
	 */
	static TicketFacts of(TicketTimeline ticket, TicketSla sla, Answer answer) {
		var counts = new ArrayList<Count>();
		var timings = new ArrayList<Timing>();
		var created = ticket.createdAt();
		var firstResponseHours = businessHours(sla, SlaMetric.FIRST_RESPONSE);
		var resolutionHours = businessHours(sla, SlaMetric.RESOLUTION);

		counts.add(new Count(Figure.CREATED, created, 1));
		var status = TicketStatus.OPEN;
		var assigned = false;
		var backlog = new Backlog(status, assigned);
		new Backlog(false, false, false).changesTo(backlog, created, counts);
		for (var change : ticket.changes()) {
			var at = change.at();
			if (change instanceof StatusChange s) {
				if (s.to() == TicketStatus.RESOLVED) {
					counts.add(new Count(Figure.RESOLVED, at, 1));
					timings.add(new Timing(DurationMetric.RESOLUTION, at, millis(created, at)));
					if (resolutionHours != null) {
						timings.add(new Timing(DurationMetric.BUSINESS_RESOLUTION, at,
								resolutionHours.between(created, at).toMillis()));
					}
				}
				else if (s.to() == TicketStatus.CLOSED) {
					counts.add(new Count(Figure.CLOSED, at, 1));
				}
				else if (s.from() == TicketStatus.RESOLVED || s.from() == TicketStatus.CLOSED) {
					counts.add(new Count(Figure.REOPENED, at, 1));
				}
				status = s.to();
			}
			else if (change instanceof AssigneeChange a) {
				assigned = a.to() != null;
			}
			var next = new Backlog(status, assigned);
			backlog.changesTo(next, at, counts);
			backlog = next;
		}

		boolean responded = false;
		for (var message : ticket.messages()) {
			if (message.authorType() == AuthorType.CUSTOMER) {
				counts.add(new Count(Figure.CUSTOMER_MESSAGES, message.at(), 1));
			}
			else if (message.authorType() == AuthorType.AGENT && !message.internal()) {
				counts.add(new Count(Figure.AGENT_REPLIES, message.at(), 1));
				if (!responded) {
					responded = true;
					timings.add(new Timing(DurationMetric.FIRST_RESPONSE, message.at(), millis(created, message.at())));
					if (firstResponseHours != null) {
						timings.add(new Timing(DurationMetric.BUSINESS_FIRST_RESPONSE, message.at(),
								firstResponseHours.between(created, message.at()).toMillis()));
					}
				}
			}
		}

		if (sla != null) {
			for (var clock : sla.clocks()) {
				var met = clock.metric() == SlaMetric.FIRST_RESPONSE ? Figure.SLA_FIRST_RESPONSE_MET
						: Figure.SLA_RESOLUTION_MET;
				var breached = clock.metric() == SlaMetric.FIRST_RESPONSE ? Figure.SLA_FIRST_RESPONSE_BREACHED
						: Figure.SLA_RESOLUTION_BREACHED;
				for (var cycle : clock.cycles()) {
					if (cycle.breached()) {
						counts.add(new Count(breached, cycle.dueAt(), 1));
					}
					else if (cycle.stoppedAt() != null) {
						counts.add(new Count(met, cycle.stoppedAt(), 1));
					}
				}
			}
			for (var escalation : sla.escalations()) {
				counts.add(new Count(Figure.ESCALATIONS, escalation, 1));
			}
		}
		if (answer != null) {
			counts.add(new Count(Figure.csat(answer.rating()), answer.answeredAt(), 1));
		}
		return new TicketFacts(ticket.ticketId(), ticket.assigneeId(), ticket.categoryId(), ticket.tagIds(),
				ticket.priority().name(), counts, timings);
	}

	/** Which backlog counters a ticket in a state is in. */
	private record Backlog(boolean open, boolean pending, boolean unassigned) {

		Backlog(TicketStatus status, boolean assigned) {
			this(status == TicketStatus.OPEN || status == TicketStatus.IN_PROGRESS, status == TicketStatus.PENDING,
					(status == TicketStatus.OPEN || status == TicketStatus.IN_PROGRESS || status == TicketStatus.PENDING)
							&& !assigned);
		}

		/** The changes from this state to {@code next} at {@code at}. */
		void changesTo(Backlog next, Instant at, List<Count> counts) {
			change(Figure.OPEN_CHANGE, open, next.open, at, counts);
			change(Figure.PENDING_CHANGE, pending, next.pending, at, counts);
			change(Figure.UNASSIGNED_CHANGE, unassigned, next.unassigned, at, counts);
		}

		private static void change(Figure figure, boolean before, boolean after, Instant at, List<Count> counts) {
			if (before != after) {
				counts.add(new Count(figure, at, after ? 1 : -1));
			}
		}
	}

	/** The business hours of the ticket's clock of {@code metric}; {@code null} without one or around the clock. */
	private static BusinessHours businessHours(TicketSla sla, SlaMetric metric) {
		if (sla != null) {
			for (var clock : sla.clocks()) {
				if (clock.metric() == metric) {
					return clock.businessHours();
				}
			}
		}
		return null;
	}

	private static long millis(Instant from, Instant to) {
		return to.isAfter(from) ? Duration.between(from, to).toMillis() : 0;
	}

	/** The keys this ticket counts for in each bucket: the merchant, its agent, category, tags and priority. */
	List<Map.Entry<Dimension, String>> dimensionKeys() {
		var keys = new ArrayList<Map.Entry<Dimension, String>>(4 + tagIds.size());
		keys.add(Map.entry(Dimension.MERCHANT, ""));
		if (agentId != null) {
			keys.add(Map.entry(Dimension.AGENT, agentId.toString()));
		}
		if (categoryId != null) {
			keys.add(Map.entry(Dimension.CATEGORY, categoryId.toString()));
		}
		for (var tag : tagIds) {
			keys.add(Map.entry(Dimension.TAG, tag.toString()));
		}
		keys.add(Map.entry(Dimension.PRIORITY, priority));
		return keys;
	}

	/**
	 * What this ticket adds to each row: every count and duration in the bucket of each level holding its instant, for
	 * every key of {@link #dimensionKeys()}.
	 */
	Map<BucketKey, Figures> contribution() {
		var perBucket = new HashMap<BucketRef, Figures>();
		for (var count : counts) {
			for (var level : BucketLevel.values()) {
				perBucket.computeIfAbsent(new BucketRef(level, level.floor(count.at())), b -> new Figures())
					.increment(count.figure(), count.by());
			}
		}
		for (var timing : timings) {
			for (var level : BucketLevel.values()) {
				perBucket.computeIfAbsent(new BucketRef(level, level.floor(timing.at())), b -> new Figures())
					.addDuration(timing.metric(), timing.millis());
			}
		}
		var keys = dimensionKeys();
		var contribution = new HashMap<BucketKey, Figures>(perBucket.size() * keys.size() * 2);
		perBucket.forEach((bucket, figures) -> {
			if (figures.isZero()) {
				return;
			}
			for (var key : keys) {
				contribution.put(new BucketKey(bucket.level(), bucket.start(), key.getKey(), key.getValue()),
						figures.copy());
			}
		});
		return contribution;
	}
}
