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

	record AssignTicket(@NotNull UUID agentId) {
	}

	@PostMapping
	ResponseEntity<TicketView> create(@AuthenticationPrincipal Tenant tenant, @Valid @RequestBody CreateTicket request,
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
	TicketView get(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id) {
		return TicketView.of(service.get(tenant, id));
	}

	@GetMapping
	PageResponse<TicketView> list(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(required = false) TicketStatus status, @RequestParam(required = false) UUID assigneeId,
			@RequestParam(required = false) UUID categoryId, @RequestParam(required = false) Priority priority,
			@RequestParam(required = false) UUID tagId, @RequestParam(required = false) String requesterEmail,
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
	TicketView changeStatus(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id,
			@Valid @RequestBody ChangeStatus request) {
		return TicketView.of(service.changeStatus(tenant, id, request));
	}

	/** Manual assignment: the agent must be one of the merchant's; capacity does not bind a person's choice. */
	@PostMapping("/{id}/assignment")
	TicketView assign(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id,
			@Valid @RequestBody AssignTicket request) {
		var assignee = assignees.find(tenant.merchantId(), request.agentId())
			.orElseThrow(() -> new InvalidFieldException("agentId", "no such agent"));
		return TicketView.of(service.assign(tenant.merchantId(), id, assignee.agentId(),
				new AssignmentReason("MANUAL", assignee.load(), assignee.capacity(), null)));
	}

	@PostMapping("/{id}/messages")
	@ResponseStatus(HttpStatus.CREATED)
	MessageView addMessage(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id,
			@Valid @RequestBody CreateMessage request) {
		return MessageView.of(service.addMessage(tenant, id, request));
	}

	@GetMapping("/{id}/messages")
	PageResponse<MessageView> messages(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "50") @Min(1) @Max(200) int size) {
		service.get(tenant, id);
		return PageResponse.of(messages.findByTicketIdAndMerchantIdOrderByCreatedAtAscIdAsc(id, tenant.merchantId(),
				PageRequest.of(page, size)), MessageView::of);
	}

	@GetMapping("/{id}/messages/{messageId}")
	MessageView message(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id, @PathVariable UUID messageId) {
		return messages.findByIdAndTicketIdAndMerchantId(messageId, id, tenant.merchantId())
			.map(MessageView::of)
			.orElseThrow(() -> new NotFoundException("Message", messageId));
	}
}
