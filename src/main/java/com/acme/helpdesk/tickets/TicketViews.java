package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.annotations.media.Schema;

/** The JSON shapes of tickets, messages, categories and tags (docs/api.md). */
final class TicketViews {

	private TicketViews() {
	}

	@Schema(description = "Who asked")
	record RequesterView(@Schema(description = "The requester's email address") String email,
			@Schema(description = "The requester's name", nullable = true) String name,
			@Schema(description = "The requester's id in the merchant's systems", nullable = true) String externalId) {
	}

	@Schema(name = "Ticket", description = "A ticket")
	record TicketView(@Schema(description = "The ticket's id") UUID id,
			@Schema(description = "Its number, from the merchant's own sequence", example = "1042") long number,
			@Schema(description = "A one-line summary") String subject,
			@Schema(description = "The request in the requester's words", nullable = true) String description,
			RequesterView requester,
			@Schema(description = "Its category", nullable = true) UUID categoryId,
			@Schema(description = "Its tags") List<UUID> tagIds,
			@Schema(description = "Its priority") Priority priority,
			@Schema(description = "Its status") TicketStatus status,
			@Schema(description = "The agent it is assigned to", nullable = true) UUID assigneeId,
			AssignmentReason assignmentReason,
			@Schema(description = "The free-form facts it was created with", nullable = true) JsonNode context,
			@Schema(description = "The free-form labels it was created with, plus `tagIds`") JsonNode metadata,
			@Schema(description = "What the `enrich` job found: `requesterHistory`, the merchant endpoint's answer as "
					+ "`endpoint`, `enrichedAt`", nullable = true) JsonNode enrichment,
			@Schema(description = "When it was created") Instant createdAt,
			@Schema(description = "When it last changed") Instant updatedAt,
			@Schema(description = "When an agent first replied in public", nullable = true) Instant firstResponseAt,
			@Schema(description = "When it was last resolved", nullable = true) Instant resolvedAt,
			@Schema(description = "When it was closed", nullable = true) Instant closedAt,
			@Schema(description = "Grows with every change; live frames carry it as `ticketVersion`") Long version) {

		static TicketView of(Ticket t) {
			var requester = t.requester();
			return new TicketView(t.id(), t.number(), t.subject(), t.description(),
					new RequesterView(requester.email(), requester.name(), requester.externalId()), t.categoryId(),
					t.tagIds(), t.priority(), t.status(), t.assigneeId(), t.assignmentReason(), t.context(),
					t.metadata(), t.enrichment(), t.createdAt(), t.updatedAt(), t.firstResponseAt(), t.resolvedAt(),
					t.closedAt(), t.version());
		}
	}

	@Schema(name = "Message", description = "A message on a ticket")
	record MessageView(@Schema(description = "The message's id") UUID id,
			@Schema(description = "Its ticket") UUID ticketId,
			@Schema(description = "Who wrote it") AuthorType authorType,
			@Schema(description = "The agent who wrote it (an agent key's `AGENT` message)", nullable = true)
			UUID authorId,
			@Schema(description = "The text") String body,
			@Schema(description = "An internal note, not shown to the requester") boolean internal,
			@Schema(description = "When it was written") Instant createdAt) {

		static MessageView of(TicketMessage m) {
			return new MessageView(m.id(), m.ticketId(), m.authorType(), m.authorId(), m.body(), m.internal(),
					m.createdAt());
		}
	}

	@Schema(description = "How tickets of a category are assigned")
	record Routing(@Schema(description = "The assignment strategy") RoutingStrategy strategy) {
	}

	@Schema(name = "Category", description = "A category of tickets, with its routing")
	record CategoryView(
			@Schema(description = "The category's id") UUID id, @Schema(description = "Its name") String name,
			Routing routing, @Schema(description = "How many tickets have it") long ticketCount) {

		static CategoryView of(Category c) {
			return new CategoryView(c.id(), c.name(), new Routing(c.routingStrategy()), c.ticketCount());
		}
	}

	@Schema(name = "Tag", description = "A tag")
	record TagView(@Schema(description = "The tag's id") UUID id, @Schema(description = "Its name") String name,
			@Schema(description = "How many tickets have it") long ticketCount) {

		static TagView of(Tag t) {
			return new TagView(t.id(), t.name(), t.ticketCount());
		}
	}
}
