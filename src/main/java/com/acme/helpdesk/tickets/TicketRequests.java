package com.acme.helpdesk.tickets;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request bodies of the tickets API, with their limits. */
final class TicketRequests {

	static final int MAX_SUBJECT = 500;
	static final int MAX_DESCRIPTION = 50_000;
	static final int MAX_MESSAGE = 50_000;

	private TicketRequests() {
	}

	@Schema(description = "Who asked: the requester gets the replies and the survey by mail")
	record RequesterInput(
			@Schema(description = "The requester's email address", example = "ann@example.com")
			@NotBlank @Email @Size(max = 320) String email,
			@Schema(description = "The requester's name", example = "Ann Smith") @Size(max = 200) String name,
			@Schema(description = "The requester's id in the merchant's own systems", example = "customer-1042")
			@Size(max = 200) String externalId) {
	}

	@Schema(description = "A new ticket", example = """
			{"subject": "Parcel missing", "description": "Order A-1042 has not arrived.", \
			"requester": {"email": "ann@example.com", "name": "Ann Smith"}, "priority": "HIGH", \
			"context": {"orderId": "A-1042"}, "metadata": {"channel": "web"}}""")
	record CreateTicket(
			@Schema(description = "A one-line summary", example = "Parcel missing")
			@NotBlank @Size(max = MAX_SUBJECT) String subject,
			@Schema(description = "The request in the requester's words")
			@Size(max = MAX_DESCRIPTION) String description,
			@NotNull @Valid RequesterInput requester,
			@Schema(description = "One of the merchant's categories; its routing may assign the ticket")
			UUID categoryId,
			@Schema(description = "`MEDIUM` when left out") Priority priority,
			@Schema(description = "Some of the merchant's tags (repeats count once)")
			@Size(max = 20) List<@NotNull UUID> tagIds,
			@Schema(description = "Free-form facts about the request (an order, a plan), a JSON object of at most "
					+ "`helpdesk.tickets.max-context-bytes`") JsonNode context,
			@Schema(description = "Free-form labels, a JSON object of at most `helpdesk.tickets.max-context-bytes`; "
					+ "the ticket's `tagIds` are added to it") JsonNode metadata) {
	}

	@Schema(description = "A change of a ticket's status")
	record ChangeStatus(
			@Schema(description = "The new status; `CLOSED` is final, `RESOLVED` may go back to `OPEN`")
			@NotNull TicketStatus status,
			@Schema(description = "Why, for the history and the requester", example = "Waiting for the carrier")
			@Size(max = 1000) String reason) {
	}

	@Schema(description = "A new message on a ticket")
	record CreateMessage(
			@Schema(description = "The text", example = "We have asked the carrier.")
			@NotBlank @Size(max = MAX_MESSAGE) String body,
			@Schema(description = "Who wrote it; an agent key's `AGENT` message names its agent as `authorId`")
			@NotNull AuthorType authorType,
			@Schema(description = "An internal note, not shown to the requester (only for `AGENT`); `false` when left out")
			Boolean internal) {
	}

	@Schema(description = "A new category")
	record CreateCategory(
			@Schema(description = "Its name, unique in the merchant (case-insensitive)", example = "Shipping")
			@NotBlank @Size(max = 200) String name,
			@NotNull @Valid RoutingInput routing) {
	}

	@Schema(description = "How tickets of the category are assigned")
	record RoutingInput(@Schema(description = "`LOAD_BALANCED`: to the online agent of the category with the lowest "
			+ "load; `ROUND_ROBIN`: to each in turn; `MANUAL`: by hand") @NotNull RoutingStrategy strategy) {
	}

	@Schema(description = "A new tag")
	record CreateTag(
			@Schema(description = "Its name, unique in the merchant (case-insensitive)", example = "vip")
			@NotBlank @Size(max = 100) String name) {
	}
}
