package com.acme.helpdesk.surveys;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The answers of tickets' surveys, for recounting the tickets (analytics), read in batch for one merchant. */
@Service
public class AnsweredSurveys {

	/** The rating (1 to 5) a ticket's requester gave, and when. */
	public record Answer(UUID ticketId, int rating, Instant answeredAt) {
	}

	private final JdbcClient jdbc;

	AnsweredSurveys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The answers of the merchant's tickets among {@code ticketIds}, by ticket (absent: no answer). */
	@Transactional(readOnly = true)
	public Map<UUID, Answer> of(UUID merchantId, Collection<UUID> ticketIds) {
		var answers = new HashMap<UUID, Answer>();
		if (ticketIds.isEmpty()) {
			return answers;
		}
		jdbc.sql("""
				SELECT ticket_id, rating, answered_at FROM survey
				WHERE ticket_id = ANY (?) AND merchant_id = ? AND answered_at IS NOT NULL""")
			.params(ticketIds.toArray(UUID[]::new), merchantId)
			.query(rs -> {
				var ticketId = rs.getObject(1, UUID.class);
				answers.put(ticketId,
						new Answer(ticketId, rs.getInt(2), rs.getObject(3, OffsetDateTime.class).toInstant()));
			});
		return answers;
	}
}
