package com.acme.helpdesk.tenancy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.shared.PageResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Who changed what among a merchant's settings, keys, agents, SLA and escalation policies. {@link #record} writes in
 * the caller's transaction (it must have one), so a change and its audit event commit or roll back together. Callers
 * pass views of the state before and after that carry no secrets (no webhook secret, no key or key hash).
 */
@Service
public class AuditTrail {

	@Schema(description = "One change in the merchant's audit trail")
	record AuditEvent(
			@Schema(description = "The event's id") UUID id, @Schema(description = "When it happened") Instant at,
			@Schema(description = "The API key that made the change", nullable = true) UUID actorKeyId,
			@Schema(description = "What was done", example = "agent.created") String action,
			@Schema(description = "What it was done to", example = "agent:0b6e2c9e-3c4f-4b8e-9a57-5d1c1f0e2a11")
			String target,
			@Schema(description = "The state before (no secrets)", nullable = true) JsonNode before,
			@Schema(description = "The state after (no secrets)", nullable = true) JsonNode after) {
	}

	private final JdbcClient jdbc;
	private final ObjectMapper json;
	private final Clock clock;

	AuditTrail(JdbcClient jdbc, ObjectMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * Records that {@code actor} did {@code action} (e.g. {@code agent.updated}) to {@code target} (e.g.
	 * {@code agent:<id>}); {@code before} is null for a creation, {@code after} for a removal.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void record(Tenant actor, String action, String target, Object before, Object after) {
		record(actor.merchantId(), actor.keyId(), action, target, before, after);
	}

	@Transactional(propagation = Propagation.MANDATORY)
	void record(UUID merchantId, UUID actorKeyId, String action, String target, Object before, Object after) {
		jdbc.sql("""
				INSERT INTO audit_event (id, merchant_id, at, actor_key_id, action, target, before, after)
				VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""")
			.params(UUID.randomUUID(), merchantId, Timestamp.from(clock.instant()), actorKeyId, action, target,
					write(before), write(after))
			.update();
	}

	PageResponse<AuditEvent> list(Tenant reader, int page, int size) {
		reader.requireAdmin();
		var items = jdbc.sql("""
				SELECT id, at, actor_key_id, action, target, before, after FROM audit_event
				WHERE merchant_id = ? ORDER BY at DESC, seq DESC LIMIT ? OFFSET ?""")
			.params(reader.merchantId(), size, (long) page * size)
			.query((rs, row) -> new AuditEvent(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(),
					rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), read(rs.getString(6)),
					read(rs.getString(7))))
			.list();
		var total = jdbc.sql("SELECT count(*) FROM audit_event WHERE merchant_id = ?")
			.param(reader.merchantId())
			.query(Long.class)
			.single();
		return new PageResponse<>(items, page, size, total);
	}

	private String write(Object value) {
		if (value == null) {
			return null;
		}
		try {
			return json.writeValueAsString(value);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	private JsonNode read(String value) {
		if (value == null) {
			return null;
		}
		try {
			return json.readTree(value);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}
}
