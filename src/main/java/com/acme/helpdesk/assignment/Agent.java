package com.acme.helpdesk.assignment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

@Entity
@Table(name = "agent")
class Agent {

	@Id
	private UUID id;
	private UUID merchantId;
	private String name;
	private String email;
	@Enumerated(EnumType.STRING)
	private Availability availability;
	private int capacity;
	@JdbcTypeCode(SqlTypes.ARRAY)
	@Column(columnDefinition = "uuid[]")
	private List<UUID> categoryIds;
	/** Kept by {@link AgentLoads} and {@link Assigner} in SQL; never written from here. */
	@Column(insertable = false, updatable = false)
	private int load;
	@Column(insertable = false, updatable = false)
	private Instant lastAssignedAt;
	private Instant createdAt;
	@Version
	private Long version;

	protected Agent() {
	}

	Agent(UUID merchantId, String name, String email, int capacity, List<UUID> categoryIds, Availability availability,
			Instant now) {
		this.id = UUID.randomUUID();
		this.merchantId = merchantId;
		this.name = name;
		this.email = email;
		this.capacity = capacity;
		this.categoryIds = List.copyOf(categoryIds);
		this.availability = availability;
		this.createdAt = now;
	}

	void change(Availability availability, Integer capacity, List<UUID> categoryIds) {
		if (availability != null) {
			this.availability = availability;
		}
		if (capacity != null) {
			this.capacity = capacity;
		}
		if (categoryIds != null) {
			this.categoryIds = List.copyOf(categoryIds);
		}
	}

	UUID id() { return id; }
	UUID merchantId() { return merchantId; }
	String name() { return name; }
	String email() { return email; }
	Availability availability() { return availability; }
	int capacity() { return capacity; }
	List<UUID> categoryIds() { return categoryIds; }
	int load() { return load; }
}
