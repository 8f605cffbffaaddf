package com.acme.helpdesk.sla;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.event.TransactionalEventListener;

import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.tickets.AssignmentReason;
import com.acme.helpdesk.tickets.TicketAssignments;
import com.acme.helpdesk.tickets.TicketPriorityChanged;

/** A settable clock, a recorder of the events sla publishes, and a reassigner that hands tickets to a chosen agent. */
@TestConfiguration(proxyBeanMethods = false)
class SlaTestConfiguration {

	@Bean
	@Primary
	MutableClock mutableClock() {
		return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
	}

	@Bean
	EventRecorder eventRecorder() {
		return new EventRecorder();
	}

	@Bean
	@org.springframework.context.annotation.Primary
	FixedReassigner fixedReassigner(TicketAssignments assignments) {
		return new FixedReassigner(assignments);
	}

	/** Records the events committed with their transaction. */
	static class EventRecorder {

		private final List<Object> events = new CopyOnWriteArrayList<>();

		List<Object> all() {
			return events;
		}

		@TransactionalEventListener
		void on(SlaWarning event) {
			events.add(event);
		}

		@TransactionalEventListener
		void on(SlaBreached event) {
			events.add(event);
		}

		@TransactionalEventListener
		void on(TicketEscalated event) {
			events.add(event);
		}

		@TransactionalEventListener
		void on(TicketPriorityChanged event) {
			events.add(event);
		}

		<T> List<T> of(Class<T> type, UUID ticketId) {
			return events.stream()
				.filter(type::isInstance)
				.map(type::cast)
				.filter(e -> ticketId.equals(ticketOf(e)))
				.toList();
		}

		private static UUID ticketOf(Object event) {
			if (event instanceof SlaWarning w) {
				return w.ticketId();
			}
			if (event instanceof SlaBreached b) {
				return b.ticketId();
			}
			if (event instanceof TicketEscalated e) {
				return e.ticketId();
			}
			if (event instanceof TicketPriorityChanged p) {
				return p.ticketId();
			}
			return null;
		}
	}

	/** Stands in for the assignment module: reassigns to the agent set by the test. */
	static class FixedReassigner implements EscalationReassigner {

		private final TicketAssignments assignments;
		private final AtomicReference<UUID> next = new AtomicReference<>();

		void reassignTo(UUID agentId) {
			next.set(agentId);
		}

		FixedReassigner(TicketAssignments assignments) {
			this.assignments = assignments;
		}

		@Override
		public Optional<UUID> reassign(UUID merchantId, UUID ticketId, UUID excludedAgentId) {
			var agent = next.get();
			if (agent == null || agent.equals(excludedAgentId)) {
				return Optional.empty();
			}
			assignments.assign(merchantId, ticketId, agent, new AssignmentReason("ESCALATION", null, null, null));
			return Optional.of(agent);
		}
	}
}
