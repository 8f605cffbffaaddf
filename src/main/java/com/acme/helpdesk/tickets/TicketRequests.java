package com.acme.helpdesk.tickets;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

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

	record RequesterInput(@NotBlank @Email @Size(max = 320) String email, @Size(max = 200) String name,
			@Size(max = 200) String externalId) {
	}

	record CreateTicket(@NotBlank @Size(max = MAX_SUBJECT) String subject,
			@Size(max = MAX_DESCRIPTION) String description, @NotNull @Valid RequesterInput requester, UUID categoryId,
			Priority priority, @Size(max = 20) List<@NotNull UUID> tagIds, JsonNode context, JsonNode metadata) {
	}

	record ChangeStatus(@NotNull TicketStatus status, @Size(max = 1000) String reason) {
	}

	record CreateMessage(@NotBlank @Size(max = MAX_MESSAGE) String body, @NotNull AuthorType authorType,
			Boolean internal) {
	}

	record CreateCategory(@NotBlank @Size(max = 200) String name, @NotNull @Valid RoutingInput routing) {
	}

	record RoutingInput(@NotNull RoutingStrategy strategy) {
	}

	record CreateTag(@NotBlank @Size(max = 100) String name) {
	}
}
