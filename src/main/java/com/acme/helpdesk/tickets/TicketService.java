package com.acme.helpdesk.tickets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.shared.ProblemType;
import com.acme.helpdesk.tenancy.Tenant;
import com.acme.helpdesk.tickets.TicketRequests.ChangeStatus;
import com.acme.helpdesk.tickets.TicketRequests.CreateMessage;
import com.acme.helpdesk.tickets.TicketRequests.CreateTicket;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

@Service
class TicketService {

	record Created(Ticket ticket, boolean replayed) {
	}

	private final TicketRepository tickets;
	private final TicketMessageRepository messages;
	private final NewTicketReferences newTicketReferences;
	private final JdbcClient jdbc;
	private final ObjectMapper objectMapper;
	private final Clock clock;
	private final int maxContextBytes;

	TicketService(TicketRepository tickets, TicketMessageRepository messages, NewTicketReferences newTicketReferences,
			JdbcClient jdbc, ObjectMapper objectMapper, Clock clock,
			TicketProperties properties) {
		this.tickets = tickets;
		this.messages = messages;
		this.newTicketReferences = newTicketReferences;
		this.jdbc = jdbc;
		this.objectMapper = objectMapper;
		this.clock = clock;
		this.maxContextBytes = properties.maxContextBytes();
	}

	/**
	 * Creates a ticket. With an idempotency key, requests with the same key are serialized by a
	 * transaction-scoped advisory lock, and every request after the first answers the ticket it made.
	 */
	@Transactional
	Created create(Tenant tenant, CreateTicket request, String idempotencyKey) {
		var merchantId = tenant.merchantId();
		Ticket.Idempotency idempotency = null;
		if (idempotencyKey != null) {
			idempotency = new Ticket.Idempotency(idempotencyKey, fingerprint(request));
			jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")
				.param(merchantId + ":" + idempotencyKey)
				.query()
				.singleValue();
			var existing = tickets.findByMerchantIdAndIdempotencyKey(merchantId, idempotencyKey);
			if (existing.isPresent()) {
				if (!existing.get().sameRequestAs(idempotency.fingerprint())) {
					var reused = new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
							"The Idempotency-Key was already used with a different request");
					reused.setType(ProblemType.IDEMPOTENCY_KEY_REUSED.uri());
					throw reused;
				}
				return new Created(existing.get(), true);
			}
		}
		var requestedTags = request.tagIds() == null ? List.<UUID>of() : request.tagIds();
		var tagIds = List.copyOf(new LinkedHashSet<>(requestedTags));
		var references = newTicketReferences.load(merchantId, request.categoryId(), tagIds);
		if (request.categoryId() != null && !references.categoryFound()) {
			throw new InvalidFieldException("categoryId", "no such category");
		}
		for (int i = 0; i < requestedTags.size(); i++) {
			if (!references.knownTagIds().contains(requestedTags.get(i))) {
				throw new InvalidFieldException("tagIds[%d]".formatted(i), "no such tag");
			}
		}
		var context = checkObject("context", request.context());
		var metadata = metadataWithTags(checkObject("metadata", request.metadata()), tagIds);
		var requester = request.requester();
		var ticket = Ticket.open(merchantId, references.number(), request.subject().strip(),
				request.description(),
				new Ticket.Requester(requester.email().strip(), requester.name(), requester.externalId()),
				request.categoryId(), references.routing(),
				tagIds, request.priority() == null ? Priority.MEDIUM : request.priority(), context, metadata,
				idempotency, clock.instant());
		return new Created(tickets.save(ticket), false);
	}

	@Transactional(readOnly = true)
	Ticket get(Tenant tenant, UUID ticketId) {
		return find(tenant.merchantId(), ticketId);
	}

	/** The ticket, locked until the end of the caller's transaction; for every change of an existing ticket. */
	Ticket lock(UUID merchantId, UUID ticketId) {
		return tickets.lockByIdAndMerchantId(ticketId, merchantId)
			.orElseThrow(() -> new NotFoundException("Ticket", ticketId));
	}

	@Transactional
	Ticket changeStatus(Tenant tenant, UUID ticketId, ChangeStatus request) {
		var ticket = lock(tenant.merchantId(), ticketId);
		return tickets.save(ticket.changeStatus(request.status(), request.reason(), clock.instant()));
	}

	@Transactional
	TicketMessage addMessage(Tenant tenant, UUID ticketId, CreateMessage request) {
		var ticket = lock(tenant.merchantId(), ticketId);
		var internal = Boolean.TRUE.equals(request.internal());
		if (internal && request.authorType() != AuthorType.AGENT) {
			throw new InvalidFieldException("internal", "only agents write internal notes");
		}
		var authorId = request.authorType() == AuthorType.AGENT ? tenant.agentId() : null;
		var message = ticket.addMessage(request.authorType(), authorId, request.body(), internal, clock.instant());
		messages.save(message);
		tickets.save(ticket);
		return message;
	}

	@Transactional
	Ticket assign(UUID merchantId, UUID ticketId, UUID agentId, AssignmentReason reason) {
		var ticket = lock(merchantId, ticketId);
		return tickets.save(ticket.assignTo(agentId, reason, clock.instant()));
	}

	@Transactional
	Ticket raisePriority(UUID merchantId, UUID ticketId, String reason) {
		var ticket = lock(merchantId, ticketId);
		if (ticket.raisePriority(reason, clock.instant())) {
			tickets.save(ticket);
		}
		return ticket;
	}

	Ticket find(UUID merchantId, UUID ticketId) {
		return tickets.findByIdAndMerchantId(ticketId, merchantId)
			.orElseThrow(() -> new NotFoundException("Ticket", ticketId));
	}

	private ObjectNode checkObject(String field, JsonNode value) {
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isObject()) {
			throw new InvalidFieldException(field, "must be a JSON object");
		}
		if (value.toString().getBytes(StandardCharsets.UTF_8).length > maxContextBytes) {
			throw new InvalidFieldException(field, "must be at most %d bytes of JSON".formatted(maxContextBytes));
		}
		return (ObjectNode) value;
	}

	private ObjectNode metadataWithTags(ObjectNode metadata, List<UUID> tagIds) {
		var result = metadata == null ? objectMapper.createObjectNode() : metadata.deepCopy();
		var ids = result.putArray("tagIds");
		tagIds.forEach(id -> ids.add(id.toString()));
		return result;
	}

	private String fingerprint(CreateTicket request) {
		try {
			var digest = MessageDigest.getInstance("SHA-256").digest(objectMapper.writeValueAsBytes(request));
			return HexFormat.of().formatHex(digest);
		}
		catch (JsonProcessingException | NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

}
