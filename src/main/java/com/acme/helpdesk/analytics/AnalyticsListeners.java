package com.acme.helpdesk.analytics;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.shared.TransactionCollectors;
import com.acme.helpdesk.sla.SlaBreached;
import com.acme.helpdesk.sla.SlaClockStopped;
import com.acme.helpdesk.sla.TicketEscalated;
import com.acme.helpdesk.surveys.SurveyAnswered;
import com.acme.helpdesk.tickets.TicketAssigned;
import com.acme.helpdesk.tickets.TicketCreated;
import com.acme.helpdesk.tickets.TicketMessageCreated;
import com.acme.helpdesk.tickets.TicketPriorityChanged;
import com.acme.helpdesk.tickets.TicketStatusChanged;
import com.acme.helpdesk.tickets.TicketUnassigned;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Every event that changes a figure marks its ticket dirty and publishes the {@code analytics-update} job of its
 * merchant and 2-second slice, in the publishing transaction (the marker and the job row commit with the change, or
 * neither does; no event publication is recorded). Cheap on purpose: the transaction's marks are written just before
 * it commits, one upsert for all its tickets and one job insert that is skipped when the slice's job exists (and not
 * even tried once this process saw the slice's job commit), so a flood of events makes one job per merchant per
 * slice. Never waiting, either: a transaction skips the job that another one is publishing right then
 * ({@link AnalyticsLock#trySlices}) instead of waiting for that commit while it holds its own locks (an assignment
 * holds its category's); should that one roll back, the straggler sweep publishes the merchant's job.
 * The recount reads the sources, so the events carry nothing else it needs. {@code SlaWarning} feeds no figure.
 */
@Component
class AnalyticsListeners {

	private final DirtyTickets dirty;
	private final AnalyticsLock lock;
	private final JobDispatcher dispatcher;
	private final AnalyticsProperties properties;
	private final Clock clock;
	/** Per merchant, the last slice whose job this process saw commit: the slice's later events publish nothing. */
	private final Cache<UUID, Instant> publishedSlices = Caffeine.newBuilder().maximumSize(10_000).build();

	AnalyticsListeners(DirtyTickets dirty, AnalyticsLock lock, JobDispatcher dispatcher, AnalyticsProperties properties,
			Clock clock) {
		this.dirty = dirty;
		this.lock = lock;
		this.dispatcher = dispatcher;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketCreated event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketStatusChanged event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketAssigned event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketUnassigned event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketPriorityChanged event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketMessageCreated event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(SlaClockStopped event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(SlaBreached event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketEscalated event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(SurveyAnswered event) {
		changed(event.merchantId(), event.ticketId());
	}

	private void changed(UUID merchantId, UUID ticketId) {
		if (!properties.enabled()) {
			return;
		}
		marksOfThisTransaction().add(merchantId, ticketId, clock.instant());
	}

	/** The marks this transaction collects. */
	private Marks marksOfThisTransaction() {
		return TransactionCollectors.ofThisTransaction(Marks.class, marks -> marks.owner() == this, Marks::new);
	}

	/**
	 * One transaction's tickets to mark, written just before it commits in one statement each for the jobs and the
	 * markers, both in a fixed order (job id, ticket id): every transaction then takes these row locks in the same
	 * order, after its own work, so two of them never wait for each other in a cycle (the SLA monitor marks many
	 * tickets in one transaction, in the order of their due times). They go first among the just-before-commit
	 * callbacks: a creation's shared count rows, written after them, stay locked only for the commit.
	 */
	private final class Marks implements TransactionSynchronization {

		private final Map<UUID, DirtyTickets.Mark> tickets = new TreeMap<>(Comparator.comparing(UUID::toString));
		private boolean written;

		AnalyticsListeners owner() {
			return AnalyticsListeners.this;
		}

		void add(UUID merchantId, UUID ticketId, Instant at) {
			var mark = new DirtyTickets.Mark(merchantId, ticketId, at);
			if (tickets.putIfAbsent(ticketId, mark) == null && written) {
				// an event of a later just-before-commit callback: marked at once (the slice's job is the straggler
				// sweep's if none was published)
				dirty.mark(List.of(mark));
			}
		}

		/** First of the transaction's just-before-commit work, so the hot rows written after it stay locked briefly. */
		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			written = true;
			var jobs = new TreeMap<String, Dispatch<AnalyticsUpdateJob>>();
			for (var mark : tickets.values()) {
				var slice = AnalyticsUpdateJob.sliceOf(mark.at());
				if (!slice.equals(publishedSlices.getIfPresent(mark.merchantId()))) {
					var dispatch = AnalyticsUpdateJob.forSlice(mark.merchantId(), mark.at());
					jobs.putIfAbsent(dispatch.id().toString(), dispatch);
				}
			}
			var claimed = lock.trySlices(jobs.values().stream().map(Dispatch::id).toList());
			dispatcher.publishAll(jobs.values().stream().filter(job -> claimed.contains(job.id())).toList());
			dirty.mark(List.copyOf(tickets.values()));
		}

		@Override
		public void afterCommit() {
			for (var mark : tickets.values()) {
				publishedSlices.asMap()
					.merge(mark.merchantId(), AnalyticsUpdateJob.sliceOf(mark.at()),
							(known, slice) -> slice.isAfter(known) ? slice : known);
			}
		}
	}
}
