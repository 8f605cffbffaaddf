package com.acme.helpdesk.surveys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Table {@code survey}. */
@Repository
class SurveyStore {

	record NewSurvey(UUID id, UUID merchantId, UUID ticketId, long ticketNumber, String subject, UUID agentId,
			UUID categoryId, String token, String question, Instant createdAt, Instant expiresAt) {
	}

	record Survey(UUID id, UUID merchantId, UUID ticketId, long ticketNumber, String subject, UUID agentId,
			UUID categoryId, String token, String question, Instant createdAt, Instant expiresAt, Integer rating,
			String comment, Instant answeredAt) {

		boolean answered() {
			return answeredAt != null;
		}

		boolean expiredAt(Instant now) {
			return !now.isBefore(expiresAt);
		}
	}

	private static final String COLUMNS = """
			id, merchant_id, ticket_id, ticket_number, subject, agent_id, category_id, token, question, created_at,
			expires_at, rating, comment, answered_at""";

	private final JdbcClient jdbc;

	SurveyStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Answers {@code false} when the ticket has its survey already. */
	boolean insert(NewSurvey s) {
		return jdbc.sql("INSERT INTO survey (" + COLUMNS + """
				) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL) ON CONFLICT (ticket_id) DO NOTHING""")
			.params(s.id(), s.merchantId(), s.ticketId(), s.ticketNumber(), s.subject(), s.agentId(), s.categoryId(),
					s.token(), s.question(), Timestamp.from(s.createdAt()), Timestamp.from(s.expiresAt()))
			.update() == 1;
	}

	Optional<Survey> byToken(String token) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM survey WHERE token = ?").param(token).query(SurveyStore::map).optional();
	}

	Optional<Survey> byTicket(UUID merchantId, UUID ticketId) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM survey WHERE ticket_id = ? AND merchant_id = ?")
			.params(ticketId, merchantId)
			.query(SurveyStore::map)
			.optional();
	}

	/** The most recently answered of the merchant's surveys of {@code ticketIds}. */
	Optional<Survey> lastAnswered(UUID merchantId, UUID[] ticketIds) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM survey WHERE merchant_id = ? AND ticket_id = ANY (?) AND answered_at IS NOT NULL
				ORDER BY answered_at DESC, id LIMIT 1""")
			.params(merchantId, ticketIds)
			.query(SurveyStore::map)
			.optional();
	}

	/** Records the answer unless the survey has one; answers whether this call recorded it. */
	boolean answer(UUID surveyId, int rating, String comment, Instant now) {
		return jdbc.sql("""
				UPDATE survey SET rating = ?, comment = ?, answered_at = ?
				WHERE id = ? AND answered_at IS NULL AND expires_at > ?""")
			.params(rating, comment, Timestamp.from(now), surveyId, Timestamp.from(now))
			.update() == 1;
	}

	private static Survey map(ResultSet rs, int row) throws SQLException {
		var rating = rs.getObject("rating", Integer.class);
		return new Survey(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
				rs.getObject("ticket_id", UUID.class), rs.getLong("ticket_number"), rs.getString("subject"),
				rs.getObject("agent_id", UUID.class), rs.getObject("category_id", UUID.class), rs.getString("token"),
				rs.getString("question"), instant(rs, "created_at"), instant(rs, "expires_at"), rating,
				rs.getString("comment"), instant(rs, "answered_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		var value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}
}
