package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.domain.Persistable;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

/** A tag; {@code ticketCount} is maintained by {@link TicketCounts} (the sum of its shards). */
@Entity
@Table(name = "tag")
class Tag implements Persistable<UUID> {

	@Id
	private UUID id;
	private UUID merchantId;
	private String name;
	@org.hibernate.annotations.Formula("(SELECT coalesce(sum(s.ticket_count), 0) FROM tag_ticket_count s WHERE s.tag_id = id)")
	private long ticketCount;
	private Instant createdAt;
	@Transient
	private boolean isNew;

	protected Tag() {
	}

	Tag(UUID merchantId, String name, Instant now) {
		this.id = UUID.randomUUID();
		this.merchantId = merchantId;
		this.name = name;
		this.createdAt = now;
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
	String name() { return name; }
	long ticketCount() { return ticketCount; }
}
