package com.acme.helpdesk.tickets;

import java.util.ArrayList;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.shared.PageResponse;
import com.acme.helpdesk.tenancy.Tenant;
import com.acme.helpdesk.tickets.TicketRequests.ChangeStatus;
import com.acme.helpdesk.tickets.TicketRequests.CreateMessage;
import com.acme.helpdesk.tickets.TicketRequests.CreateTicket;
import com.acme.helpdesk.tickets.TicketViews.MessageView;
import com.acme.helpdesk.tickets.TicketViews.TicketView;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.persistence.criteria.Predicate;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

@RestController
@RequestMapping("/api/v1/tickets")
@Validated
class TicketController {

	private final TicketService service;
	private final TicketRepository tickets;
	private final TicketMessageRepository messages;
	private final AssigneeDirectory assignees;

	TicketController(TicketService service, TicketRepository tickets, TicketMessageRepository messages,
			AssigneeDirectory assignees) {
		this.service = service;
		this.tickets = tickets;
		this.messages = messages;
		this.assignees = assignees;
	}

	@Schema(description = "A manual assignment")
	record AssignTicket(
			@Schema(description = "One of the merchant's agents; capacity does not bind a person's choice")
			@NotNull UUID agentId) {
	}

	@PostMapping
	@Tag(name = "Tickets")
	@Operation(operationId = "createTicket", summary = "Create a ticket", description = """
			Opens a ticket for a requester. Its category's routing may assign it (a job, right after), its SLA clocks \
			start, and the merchant's enrichment endpoint is asked about it.

			With an `Idempotency-Key`, a repeat of the request answers the ticket the first one made \
			(`Idempotent-Replayed: true`) instead of opening another; the same key with a different body answers 422.""")
	@ApiResponse(responseCode = "201",
			description = "The ticket, new or (with a repeated `Idempotency-Key`) the one made before",
			headers = @Header(name = "Idempotent-Replayed", description = "`true` when this answers a repeat of an earlier "
					+ "request with the same `Idempotency-Key` (nothing new was made), `false` otherwise",
					schema = @Schema(type = "boolean")))
	@ApiResponse(responseCode = "422", description = "The `Idempotency-Key` was used before with a different body")
	ResponseEntity<TicketView> create(@AuthenticationPrincipal Tenant tenant, @Valid @RequestBody CreateTicket request,
			@Parameter(description = "A key of the client's choosing (1 to 255 characters, e.g. an order number) that "
					+ "makes a retry of this request safe: a repeat answers the ticket the first one made", example = "order-42")
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
		if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
			throw new InvalidFieldException("Idempotency-Key", "must be 1 to 255 characters");
		}
		var created = service.create(tenant, request, idempotencyKey);
		return ResponseEntity.status(HttpStatus.CREATED)
			.header("Idempotent-Replayed", Boolean.toString(created.replayed()))
			.body(TicketView.of(created.ticket()));
	}

	@GetMapping("/{id}")
	@Tag(name = "Tickets")
	@Operation(operationId = "getTicket", summary = "Read a ticket", description = "The ticket as it is now.")
	TicketView get(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The ticket's id") @PathVariable UUID id) {
		return TicketView.of(service.get(tenant, id));
	}

	@GetMapping
	@Tag(name = "Tickets")
	@Operation(operationId = "listTickets", summary = "List tickets",
			description = "The merchant's tickets, newest first, narrowed by any of the filters (all must hold).")
	PageResponse<TicketView> list(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "Only tickets in this status") @RequestParam(required = false) TicketStatus status,
			@Parameter(description = "Only tickets assigned to this agent")
			@RequestParam(required = false) UUID assigneeId,
			@Parameter(description = "Only tickets of this category") @RequestParam(required = false) UUID categoryId,
			@Parameter(description = "Only tickets of this priority") @RequestParam(required = false) Priority priority,
			@Parameter(description = "Only tickets with this tag") @RequestParam(required = false) UUID tagId,
			@Parameter(description = "Only tickets of this requester (exact email address)")
			@RequestParam(required = false) String requesterEmail,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		Specification<Ticket> filter = (root, query, cb) -> {
			var predicates = new ArrayList<Predicate>();
			predicates.add(cb.equal(root.get("merchantId"), tenant.merchantId()));
			if (status != null) {
				predicates.add(cb.equal(root.get("status"), status));
			}
			if (assigneeId != null) {
				predicates.add(cb.equal(root.get("assigneeId"), assigneeId));
			}
			if (categoryId != null) {
				predicates.add(cb.equal(root.get("categoryId"), categoryId));
			}
			if (priority != null) {
				predicates.add(cb.equal(root.get("priority"), priority));
			}
			if (requesterEmail != null) {
				predicates.add(cb.equal(root.get("requesterEmail"), requesterEmail));
			}
			if (tagId != null) {
				predicates.add(cb.isTrue(cb.function("array_contains", Boolean.class, root.get("tagIds"), cb.literal(tagId))));
			}
			return cb.and(predicates.toArray(Predicate[]::new));
		};
		var pageable = PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
		return PageResponse.of(tickets.findAll(filter, pageable), TicketView::of);
	}

	@PostMapping("/{id}/status")
	@Tag(name = "Tickets")
	@Operation(operationId = "changeTicketStatus", summary = "Change a ticket's status", description = """
			Moves the ticket through the status machine: `OPEN`, `IN_PROGRESS`, `PENDING`, `RESOLVED`, `CLOSED`. \
			`CLOSED` is final; `RESOLVED` may go back to `OPEN` (a reopen) or on to `CLOSED`; the others may become any \
			other. `PENDING` pauses the SLA clocks; resolving or closing stops them and may send a survey.""")
	@ApiResponse(responseCode = "200", description = "The ticket")
	@ApiResponse(responseCode = "409",
			description = "The status machine refuses this change (from `CLOSED`, say), or the ticket changed meanwhile")
	TicketView changeStatus(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The ticket's id") @PathVariable UUID id,
			@Valid @RequestBody ChangeStatus request) {
		return TicketView.of(service.changeStatus(tenant, id, request));
	}

	/** Manual assignment: the agent must be one of the merchant's; capacity does not bind a person's choice. */
	@PostMapping("/{id}/assignment")
	@Tag(name = "Tickets")
	@Operation(operationId = "assignTicket", summary = "Assign a ticket to an agent", description = """
			Assigns the ticket by hand (`assignmentReason.strategy` `MANUAL`), whatever the agent's availability and \
			capacity. The agent is notified.""")
	@ApiResponse(responseCode = "200", description = "The ticket")
	@ApiResponse(responseCode = "409", description = "The ticket is `CLOSED`, or it changed meanwhile")
	TicketView assign(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The ticket's id") @PathVariable UUID id,
			@Valid @RequestBody AssignTicket request) {
		var assignee = assignees.find(tenant.merchantId(), request.agentId())
			.orElseThrow(() -> new InvalidFieldException("agentId", "no such agent"));
		return TicketView.of(service.assign(tenant.merchantId(), id, assignee.agentId(),
				new AssignmentReason("MANUAL", assignee.load(), assignee.capacity(), null)));
	}

	@PostMapping("/{id}/messages")
	@ResponseStatus(HttpStatus.CREATED)
	@Tag(name = "Ticket messages")
	@Operation(operationId = "addTicketMessage", summary = "Add a message to a ticket", description = """
			A reply, a customer message or an internal note. A customer message reopens a `PENDING` or `RESOLVED` \
			ticket; the first public agent reply sets `firstResponseAt` and stops the first-response clock.""")
	@ApiResponse(responseCode = "409", description = "The ticket is `CLOSED`")
	MessageView addMessage(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The ticket's id") @PathVariable UUID id,
			@Valid @RequestBody CreateMessage request) {
		return MessageView.of(service.addMessage(tenant, id, request));
	}

	@GetMapping("/{id}/messages")
	@Tag(name = "Ticket messages")
	@Operation(operationId = "listTicketMessages", summary = "List a ticket's messages", description = "Oldest first.")
	PageResponse<MessageView> messages(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The ticket's id") @PathVariable UUID id,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "50") @Min(1) @Max(200) int size) {
		service.get(tenant, id);
		return PageResponse.of(messages.findByTicketIdAndMerchantIdOrderByCreatedAtAscIdAsc(id, tenant.merchantId(),
				PageRequest.of(page, size)), MessageView::of);
	}

	@GetMapping("/{id}/messages/{messageId}")
	@Tag(name = "Ticket messages")
	@Operation(operationId = "getTicketMessage", summary = "Read a message of a ticket",
			description = "One message of the ticket.")
	MessageView message(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The ticket's id") @PathVariable UUID id,
			@Parameter(description = "The message's id") @PathVariable UUID messageId) {
		return messages.findByIdAndTicketIdAndMerchantId(messageId, id, tenant.merchantId())
			.map(MessageView::of)
			.orElseThrow(() -> new NotFoundException("Message", messageId));
	}
}
