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

/** A category with its routing; {@code ticketCount} is maintained by {@link TicketCounts} (the sum of its shards). */
@Entity
@Table(name = "category")
class Category implements Persistable<UUID> {

	@Id
	private UUID id;
	private UUID merchantId;
	private String name;
	@Enumerated(EnumType.STRING)
	private RoutingStrategy routingStrategy;
	@org.hibernate.annotations.Formula("(SELECT coalesce(sum(s.ticket_count), 0) FROM category_ticket_count s WHERE s.category_id = id)")
	private long ticketCount;
	private Instant createdAt;
	@Transient
	private boolean isNew;

	protected Category() {
	}

	Category(UUID merchantId, String name, RoutingStrategy routingStrategy, Instant now) {
		this.id = UUID.randomUUID();
		this.merchantId = merchantId;
		this.name = name;
		this.routingStrategy = routingStrategy;
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
	UUID merchantId() { return merchantId; }
	String name() { return name; }
	RoutingStrategy routingStrategy() { return routingStrategy; }
	long ticketCount() { return ticketCount; }
}
