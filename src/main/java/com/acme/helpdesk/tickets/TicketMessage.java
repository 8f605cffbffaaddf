package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.domain.Persistable;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

@Entity
@Table(name = "ticket_message")
class TicketMessage implements Persistable<UUID> {

	@Id
	private UUID id;
	private UUID merchantId;
	private UUID ticketId;
	@Enumerated(EnumType.STRING)
	private AuthorType authorType;
	private UUID authorId;
	private String body;
	private boolean internal;
	private Instant createdAt;
	@Transient
	private boolean isNew;

	protected TicketMessage() {
	}

	TicketMessage(UUID id, UUID merchantId, UUID ticketId, AuthorType authorType, UUID authorId, String body,
			boolean internal, Instant createdAt) {
		this.id = id;
		this.merchantId = merchantId;
		this.ticketId = ticketId;
		this.authorType = authorType;
		this.authorId = authorId;
		this.body = body;
		this.internal = internal;
		this.createdAt = createdAt;
		this.isNew = true;
	}

	@Override
	public UUID getId() {
		return id;
	}

	@Override
	public boolean isNew() {
		return isNew;
	}

	UUID id() { return id; }
	UUID ticketId() { return ticketId; }
	AuthorType authorType() { return authorType; }
	UUID authorId() { return authorId; }
	String body() { return body; }
	boolean internal() { return internal; }
	Instant createdAt() { return createdAt; }
}
