package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** The JSON shapes of tickets, messages, categories and tags (docs/api.md). */
final class TicketViews {

	private TicketViews() {
	}

	record RequesterView(String email, String name, String externalId) {
	}

	record TicketView(UUID id, long number, String subject, String description, RequesterView requester,
			UUID categoryId, List<UUID> tagIds, Priority priority, TicketStatus status, UUID assigneeId,
			AssignmentReason assignmentReason, JsonNode context, JsonNode metadata, JsonNode enrichment,
			Instant createdAt, Instant updatedAt, Instant firstResponseAt, Instant resolvedAt, Instant closedAt,
			Long version) {

		static TicketView of(Ticket t) {
			var requester = t.requester();
			return new TicketView(t.id(), t.number(), t.subject(), t.description(),
					new RequesterView(requester.email(), requester.name(), requester.externalId()), t.categoryId(),
					t.tagIds(), t.priority(), t.status(), t.assigneeId(), t.assignmentReason(), t.context(),
					t.metadata(), t.enrichment(), t.createdAt(), t.updatedAt(), t.firstResponseAt(), t.resolvedAt(),
					t.closedAt(), t.version());
		}
	}

	record MessageView(UUID id, UUID ticketId, AuthorType authorType, UUID authorId, String body, boolean internal,
			Instant createdAt) {

		static MessageView of(TicketMessage m) {
			return new MessageView(m.id(), m.ticketId(), m.authorType(), m.authorId(), m.body(), m.internal(),
					m.createdAt());
		}
	}

	record Routing(RoutingStrategy strategy) {
	}

	record CategoryView(UUID id, String name, Routing routing, long ticketCount) {

		static CategoryView of(Category c) {
			return new CategoryView(c.id(), c.name(), new Routing(c.routingStrategy()), c.ticketCount());
		}
	}

	record TagView(UUID id, String name, long ticketCount) {

		static TagView of(Tag t) {
			return new TagView(t.id(), t.name(), t.ticketCount());
		}
	}
}
