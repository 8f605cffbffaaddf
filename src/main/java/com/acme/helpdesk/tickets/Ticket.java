package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.AbstractAggregateRoot;

import com.acme.helpdesk.shared.ConflictException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * The ticket aggregate: guards the status machine and raises the ticket events from the methods that change it. Every
 * change of a ticket has its rule here. A change written through the entity applies its rule in a method
 * ({@link #assignTo}, {@link #returnToPool}, {@link #raisePriority}, {@link #changeStatus}, {@link #addMessage}); a
 * change written by a targeted SQL update on the locked row, where loading the entity would cost a hot path its JSON
 * columns, asks the same rule ({@link #assignment}, {@link #enrichment}), writes what it answers and publishes its
 * event with the version the update returns.
 */
@Entity
@Table(name = "ticket")
class Ticket extends AbstractAggregateRoot<Ticket> {

	@Id
	private UUID id;
	private UUID merchantId;
	private long number;
	private String subject;
	private String description;
	private String requesterEmail;
	private String requesterName;
	private String requesterExternalId;
	private UUID categoryId;
	@JdbcTypeCode(SqlTypes.ARRAY)
	@Column(columnDefinition = "uuid[]")
	private List<UUID> tagIds;
	@Enumerated(EnumType.STRING)
	private Priority priority;
	@Enumerated(EnumType.STRING)
	private TicketStatus status;
	private UUID assigneeId;
	@JdbcTypeCode(SqlTypes.JSON)
	private AssignmentReason assignmentReason;
	@JdbcTypeCode(SqlTypes.JSON)
	private JsonNode context;
	@JdbcTypeCode(SqlTypes.JSON)
	private JsonNode metadata;
	@JdbcTypeCode(SqlTypes.JSON)
	private JsonNode enrichment;
	private Instant createdAt;
	private Instant updatedAt;
	private Instant firstResponseAt;
	private Instant resolvedAt;
	private Instant closedAt;
	@Version
	private Long version;
	private String idempotencyKey;
	private String idempotencyFingerprint;

	protected Ticket() {
	}

	record Requester(String email, String name, String externalId) {
	}

	static Ticket open(UUID merchantId, long number, String subject, String description, Requester requester,
			UUID categoryId, RoutingStrategy categoryRouting, List<UUID> tagIds, Priority priority, JsonNode context, JsonNode metadata,
			Idempotency idempotency, Instant now) {
		var ticket = new Ticket();
		ticket.id = UUID.randomUUID();
		ticket.merchantId = merchantId;
		ticket.number = number;
		ticket.subject = subject;
		ticket.description = description;
		ticket.requesterEmail = requester.email();
		ticket.requesterName = requester.name();
		ticket.requesterExternalId = requester.externalId();
		ticket.categoryId = categoryId;
		ticket.tagIds = List.copyOf(tagIds);
		ticket.priority = priority;
		ticket.status = TicketStatus.OPEN;
		ticket.context = context;
		ticket.metadata = metadata;
		ticket.createdAt = now;
		ticket.updatedAt = now;
		if (idempotency != null) {
			ticket.idempotencyKey = idempotency.key();
			ticket.idempotencyFingerprint = idempotency.fingerprint();
		}
		ticket.registerEvent(new TicketCreated(UUID.randomUUID(), ticket.id, merchantId, number, subject, ticket.categoryId, ticket.tagIds,
				priority, categoryRouting, context, metadata, now, 0));
		return ticket;
	}

	record Idempotency(String key, String fingerprint) {
	}

	Ticket changeStatus(TicketStatus target, String reason, Instant now) {
		if (!status.canBecome(target)) {
			throw new ConflictException("A %s ticket cannot become %s; allowed: %s".formatted(status, target,
					status.next()));
		}
		var from = status;
		status = target;
		updatedAt = now;
		switch (target) {
			case RESOLVED -> resolvedAt = now;
			case CLOSED -> closedAt = now;
			case OPEN -> {
				if (from == TicketStatus.RESOLVED) {
					resolvedAt = null;
				}
			}
			default -> {
			}
		}
		registerEvent(new TicketStatusChanged(UUID.randomUUID(), id, merchantId, from, target, reason, assigneeId, now, nextVersion()));
		return this;
	}

	/**
	 * Raises the priority one step ({@code LOW -> MEDIUM -> HIGH -> URGENT}); an {@code URGENT} or {@code CLOSED}
	 * ticket stays as it is. Answers whether it changed.
	 */
	boolean raisePriority(String reason, Instant now) {
		if (status == TicketStatus.CLOSED || priority == Priority.URGENT) {
			return false;
		}
		var from = priority;
		priority = Priority.values()[priority.ordinal() + 1];
		updatedAt = now;
		registerEvent(new TicketPriorityChanged(UUID.randomUUID(), id, merchantId, from, priority, reason, now, nextVersion()));
		return true;
	}

	Ticket assignTo(UUID agentId, AssignmentReason reason, Instant now) {
		assignment(id, merchantId, status, assigneeId, agentId, reason, now).ifPresent(assignment -> {
			assigneeId = assignment.agentId();
			assignmentReason = assignment.reason();
			updatedAt = assignment.at();
			registerEvent(assignment.event(nextVersion()));
		});
		return this;
	}

	/**
	 * The rule of assignment, for {@link #assignTo} and for the targeted update of {@link TicketAssignments}: assigning
	 * a ticket in {@code status}, now with {@code assigneeId}, to {@code agentId}; empty when it is theirs already.
	 *
	 * @throws ConflictException for a {@code CLOSED} ticket
	 */
	static Optional<Assignment> assignment(UUID ticketId, UUID merchantId, TicketStatus status, UUID assigneeId,
			UUID agentId, AssignmentReason reason, Instant now) {
		if (status == TicketStatus.CLOSED) {
			throw new ConflictException("A CLOSED ticket cannot be assigned");
		}
		if (agentId.equals(assigneeId)) {
			return Optional.empty();
		}
		return Optional.of(new Assignment(ticketId, merchantId, agentId, assigneeId, reason, now));
	}

	/** An assignment the rule allows: what the ticket's row takes, and the event it raises. */
	record Assignment(UUID ticketId, UUID merchantId, UUID agentId, UUID previousAgentId, AssignmentReason reason,
			Instant at) {

		/** The event of this assignment, committed as the ticket's {@code ticketVersion}. */
		TicketAssigned event(long ticketVersion) {
			return new TicketAssigned(UUID.randomUUID(), ticketId, merchantId, agentId, previousAgentId, reason.strategy(),
					at, ticketVersion);
		}
	}

	/** Takes the ticket from its assignee when it is still theirs and not yet started; answers whether it did. */
	boolean returnToPool(UUID agentId, String reason, Instant now) {
		if (!agentId.equals(assigneeId) || status != TicketStatus.OPEN) {
			return false;
		}
		assigneeId = null;
		assignmentReason = null;
		updatedAt = now;
		registerEvent(new TicketUnassigned(UUID.randomUUID(), id, merchantId, agentId, reason, now, nextVersion()));
		return true;
	}

	/**
	 * Adds a message. A customer reply to a pending or resolved ticket reopens it; the first public agent
	 * reply marks the first response.
	 */
	TicketMessage addMessage(AuthorType authorType, UUID authorId, String body, boolean internal, Instant now) {
		if (status == TicketStatus.CLOSED) {
			throw new ConflictException("A CLOSED ticket takes no more messages");
		}
		var message = new TicketMessage(UUID.randomUUID(), merchantId, id, authorType, authorId, body, internal, now);
		var firstPublicAgentReply = authorType == AuthorType.AGENT && !internal && firstResponseAt == null;
		if (firstPublicAgentReply) {
			firstResponseAt = now;
		}
		updatedAt = now;
		registerEvent(new TicketMessageCreated(UUID.randomUUID(), id, merchantId, message.id(), authorType, authorId, internal,
				firstPublicAgentReply, now, nextVersion()));
		if (authorType == AuthorType.CUSTOMER && (status == TicketStatus.PENDING || status == TicketStatus.RESOLVED)) {
			changeStatus(TicketStatus.OPEN, "customer replied", now);
		}
		return message;
	}

	/**
	 * The rule of enrichment, for the targeted update of {@link EnrichTicketContext}: a ticket in any status takes its
	 * enrichment whole, replacing the one before, stamped {@code enrichedAt}.
	 */
	static Enrichment enrichment(UUID ticketId, UUID merchantId, ObjectNode enrichment, Instant now) {
		var stamped = enrichment.deepCopy();
		stamped.put("enrichedAt", now.toString());
		return new Enrichment(ticketId, merchantId, stamped, now);
	}

	/** An enrichment the rule allows: what the ticket's row takes, and the event it raises. */
	record Enrichment(UUID ticketId, UUID merchantId, ObjectNode enrichment, Instant at) {

		/** The event of this enrichment, committed as the ticket's {@code ticketVersion}. */
		TicketContextEnriched event(long ticketVersion) {
			return new TicketContextEnriched(UUID.randomUUID(), ticketId, merchantId, at, ticketVersion);
		}
	}

	/** The version this change commits with: Hibernate increments a changed ticket's version once per flush. */
	private long nextVersion() {
		return version == null ? 0 : version + 1;
	}

	boolean sameRequestAs(String fingerprint) {
		return fingerprint.equals(idempotencyFingerprint);
	}

	UUID id() { return id; }
	UUID merchantId() { return merchantId; }
	long number() { return number; }
	String subject() { return subject; }
	String description() { return description; }
	Requester requester() { return new Requester(requesterEmail, requesterName, requesterExternalId); }
	UUID categoryId() { return categoryId; }
	List<UUID> tagIds() { return tagIds; }
	Priority priority() { return priority; }
	TicketStatus status() { return status; }
	UUID assigneeId() { return assigneeId; }
	AssignmentReason assignmentReason() { return assignmentReason; }
	JsonNode context() { return context; }
	JsonNode metadata() { return metadata; }
	JsonNode enrichment() { return enrichment; }
	Instant createdAt() { return createdAt; }
	Instant updatedAt() { return updatedAt; }
	Instant firstResponseAt() { return firstResponseAt; }
	Instant resolvedAt() { return resolvedAt; }
	Instant closedAt() { return closedAt; }
	Long version() { return version; }
}
