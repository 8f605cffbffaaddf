package com.acme.helpdesk.analytics;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.sla.SlaTimelines;
import com.acme.helpdesk.surveys.AnsweredSurveys;
import com.acme.helpdesk.tickets.TicketTimelines;

/**
 * The one function that keeps figures: recounts a batch of a merchant's dirty tickets from their sources (tickets,
 * SLA clocks and escalations, surveys), in one transaction under the merchant's analytics lock. For each ticket the
 * contribution of the facts it was last counted with is taken back and the new one added, so a replayed event, a job
 * run twice or events in another order change nothing twice: the recount reads the sources as they are, and counting
 * the same facts again is a difference of zero. The incremental update and the rebuild both run this.
 */
@Component
class RecountTickets {

	private final AnalyticsLock lock;
	private final DirtyTickets dirty;
	private final AnalyticsTickets counted;
	private final AnalyticsBuckets buckets;
	private final TicketTimelines tickets;
	private final SlaTimelines slas;
	private final AnsweredSurveys surveys;
	private final Clock clock;

	RecountTickets(AnalyticsLock lock, DirtyTickets dirty, AnalyticsTickets counted, AnalyticsBuckets buckets,
			TicketTimelines tickets, SlaTimelines slas, AnsweredSurveys surveys, Clock clock) {
		this.lock = lock;
		this.dirty = dirty;
		this.counted = counted;
		this.buckets = buckets;
		this.tickets = tickets;
		this.slas = slas;
		this.surveys = surveys;
		this.clock = clock;
	}

	/** What {@link #recountDirty} left. */
	enum Outcome {
		/** No marker of the merchant is left. */
		DONE,
		/** Markers are left: the batch was full, or changes marked tickets meanwhile. */
		MORE_LEFT,
		/** Another transaction holds the merchant's lock (a recount or a rebuild): nothing was counted. */
		BUSY
	}

	/**
	 * Recounts up to {@code limit} of the merchant's dirty tickets (oldest markers first) and removes the markers no
	 * change renewed meanwhile; when another transaction holds the merchant's lock, counts nothing and answers at once.
	 */
	@Transactional
	Outcome recountDirty(UUID merchantId, int limit) {
		return lock.tryLock(merchantId) ? recountDirtyLocked(merchantId, limit) : Outcome.BUSY;
	}

	/** As {@link #recountDirty}, waiting for the merchant's lock (the rebuild); answers whether markers are left. */
	@Transactional
	boolean recountDirtyWaiting(UUID merchantId, int limit) {
		lock.lock(merchantId);
		return recountDirtyLocked(merchantId, limit) == Outcome.MORE_LEFT;
	}

	private Outcome recountDirtyLocked(UUID merchantId, int limit) {
		var markers = dirty.oldest(merchantId, limit);
		if (markers.isEmpty()) {
			return Outcome.DONE;
		}
		recount(merchantId, markers.stream().map(DirtyTickets.Marker::ticketId).toList());
		dirty.removeCounted(markers);
		return markers.size() == limit || dirty.any(merchantId) ? Outcome.MORE_LEFT : Outcome.DONE;
	}

	/** Recounts the given tickets of the merchant, in this order, whether dirty or not (markers stay as they are). */
	@Transactional
	void recountTickets(UUID merchantId, List<UUID> ticketIds) {
		lock.lock(merchantId);
		recount(merchantId, ticketIds);
	}

	/**
	 * The start of a rebuild: empties the merchant's buckets and counted facts and marks every one of its tickets dirty,
	 * in one transaction under the merchant's lock (so no recount sees buckets without the facts they came from).
	 */
	@Transactional
	void reset(UUID merchantId) {
		lock.lock(merchantId);
		buckets.deleteAll(merchantId);
		counted.deleteAll(merchantId);
		var now = clock.instant();
		UUID after = null;
		while (true) {
			var page = tickets.ticketIds(merchantId, after, RESET_PAGE);
			if (page.isEmpty()) {
				return;
			}
			dirty.markAll(merchantId, page, now);
			after = page.get(page.size() - 1);
		}
	}

	private static final int RESET_PAGE = 10_000;

	private void recount(UUID merchantId, List<UUID> ticketIds) {
		var timelines = tickets.of(merchantId, ticketIds);
		var sla = slas.of(merchantId, ticketIds);
		var answers = surveys.of(merchantId, ticketIds);
		var before = counted.facts(merchantId, ticketIds);

		var changes = new HashMap<BucketKey, Figures>();
		var recounted = new ArrayList<TicketFacts>();
		var gone = new HashSet<UUID>(before.keySet());
		for (var timeline : timelines) {
			gone.remove(timeline.ticketId());
			var facts = TicketFacts.of(timeline, sla.get(timeline.ticketId()), answers.get(timeline.ticketId()));
			var old = before.get(timeline.ticketId());
			if (facts.equals(old)) {
				continue;
			}
			add(changes, facts.contribution(), 1);
			if (old != null) {
				add(changes, old.contribution(), -1);
			}
			recounted.add(facts);
		}
		for (var ticketId : gone) {
			add(changes, before.get(ticketId).contribution(), -1);
		}
		buckets.apply(merchantId, changes);
		counted.save(merchantId, recounted, clock.instant());
		counted.delete(merchantId, gone);
	}

	private static void add(Map<BucketKey, Figures> changes, Map<BucketKey, Figures> contribution, long sign) {
		contribution.forEach((key, figures) -> changes.computeIfAbsent(key, k -> new Figures()).add(figures, sign));
	}
}
