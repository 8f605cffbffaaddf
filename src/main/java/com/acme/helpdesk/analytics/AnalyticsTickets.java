package com.acme.helpdesk.analytics;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Table {@code analytics_ticket}: the {@link TicketFacts} each ticket was last counted with. */
@Repository
class AnalyticsTickets {

	/** Our own mapper: the stored form must not change with the application's JSON settings. */
	private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

	private final JdbcClient jdbc;
	private final JdbcTemplate template;

	AnalyticsTickets(JdbcClient jdbc, JdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
	}

	Map<UUID, TicketFacts> facts(UUID merchantId, Collection<UUID> ticketIds) {
		var facts = new HashMap<UUID, TicketFacts>();
		if (ticketIds.isEmpty()) {
			return facts;
		}
		jdbc.sql("SELECT ticket_id, facts FROM analytics_ticket WHERE ticket_id = ANY (?) AND merchant_id = ?")
			.params(ticketIds.toArray(UUID[]::new), merchantId)
			.query(rs -> {
				facts.put(rs.getObject(1, UUID.class), read(rs.getString(2)));
			});
		return facts;
	}

	void save(UUID merchantId, List<TicketFacts> facts, Instant countedAt) {
		template.batchUpdate("""
				INSERT INTO analytics_ticket (ticket_id, merchant_id, facts, counted_at) VALUES (?, ?, CAST(? AS jsonb), ?)
				ON CONFLICT (ticket_id) DO UPDATE SET facts = EXCLUDED.facts, counted_at = EXCLUDED.counted_at""", facts,
				500, (statement, ticket) -> {
					statement.setObject(1, ticket.ticketId());
					statement.setObject(2, merchantId);
					statement.setString(3, write(ticket));
					statement.setTimestamp(4, Timestamp.from(countedAt));
				});
	}

	void delete(UUID merchantId, Collection<UUID> ticketIds) {
		if (!ticketIds.isEmpty()) {
			jdbc.sql("DELETE FROM analytics_ticket WHERE ticket_id = ANY (?) AND merchant_id = ?")
				.params(ticketIds.toArray(UUID[]::new), merchantId)
				.update();
		}
	}

	void deleteAll(UUID merchantId) {
		jdbc.sql("DELETE FROM analytics_ticket WHERE merchant_id = ?").param(merchantId).update();
	}

	static String write(TicketFacts facts) {
		try {
			return JSON.writeValueAsString(facts);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	static TicketFacts read(String json) {
		try {
			return JSON.readValue(json, TicketFacts.class);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("unreadable facts: " + json, e);
		}
	}
}
