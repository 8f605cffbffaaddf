package com.acme.helpdesk.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Table {@code notification}: one row per recipient, type, source event and channel. */
@Repository
class NotificationStore {

	enum RecipientKind {
		AGENT, REQUESTER
	}

	enum State {
		/** to deliver now */
		PENDING,
		/** waits for the agent's next digest */
		COLLECTED, SENT,
		/** delivered as part of a digest */
		DIGESTED,
		/** the last delivery attempt failed */
		FAILED
	}

	record NewNotification(RecipientKind kind, String recipient, UUID agentId, String email, NotificationType type,
			Channel channel, State state, UUID ticketId, JsonNode payload) {
	}

	record Row(UUID id, UUID merchantId, RecipientKind kind, String recipient, UUID agentId, String email,
			NotificationType type, Channel channel, UUID sourceEventId, UUID ticketId, JsonNode payload, State state,
			Instant createdAt, Instant readAt) {
	}

	record Pending(UUID id, String recipient) {
	}

	private static final String COLUMNS = """
			id, merchant_id, recipient_kind, recipient, agent_id, email, type, channel, source_event_id, ticket_id,
			payload::text AS payload, state, created_at, read_at
			""";

	private final JdbcClient jdbc;
	private final NamedParameterJdbcTemplate named;
	private final ObjectMapper json;

	NotificationStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, ObjectMapper json) {
		this.jdbc = jdbc;
		this.named = named;
		this.json = json;
	}

	/** Inserts the notifications of one source event; those that exist are left as they are. */
	void insertAll(UUID merchantId, UUID sourceEventId, Instant now, List<NewNotification> notifications) {
		if (notifications.isEmpty()) {
			return;
		}
		var batch = notifications.stream()
			.map(n -> new MapSqlParameterSource().addValue("id", UUID.randomUUID())
				.addValue("merchant", merchantId)
				.addValue("kind", n.kind().name())
				.addValue("recipient", n.recipient())
				.addValue("agent", n.agentId())
				.addValue("email", n.email())
				.addValue("type", n.type().name())
				.addValue("channel", n.channel().name())
				.addValue("source", sourceEventId)
				.addValue("ticket", n.ticketId())
				.addValue("payload", write(n.payload()))
				.addValue("state", n.state().name())
				.addValue("now", Timestamp.from(now)))
			.toArray(MapSqlParameterSource[]::new);
		named.batchUpdate("""
				INSERT INTO notification (id, merchant_id, recipient_kind, recipient, agent_id, email, type, channel,
				    source_event_id, ticket_id, payload, state, created_at)
				VALUES (:id, :merchant, :kind, :recipient, :agent, :email, :type, :channel, :source, :ticket,
				    CAST(:payload AS jsonb), :state, :now)
				ON CONFLICT ON CONSTRAINT notification_once DO NOTHING""", batch);
	}

	/** The notifications of a source event still to deliver (all of them on the first run, fewer on a replay). */
	List<Pending> pendingOf(UUID merchantId, UUID sourceEventId) {
		return jdbc.sql("""
				SELECT id, recipient FROM notification WHERE source_event_id = ? AND merchant_id = ? AND state = 'PENDING'
				ORDER BY recipient, channel""")
			.params(sourceEventId, merchantId)
			.query((rs, row) -> new Pending(rs.getObject(1, UUID.class), rs.getString(2)))
			.list();
	}

	/** The id of the one notification of a source event (a digest). */
	UUID idOf(UUID merchantId, UUID sourceEventId) {
		return jdbc.sql("SELECT id FROM notification WHERE source_event_id = ? AND merchant_id = ?")
			.params(sourceEventId, merchantId)
			.query(UUID.class)
			.single();
	}

	/** Locks the row for its delivery (a concurrent delivery waits, then finds it sent). */
	Optional<Row> lock(UUID merchantId, UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE id = ? AND merchant_id = ? FOR UPDATE")
			.params(id, merchantId)
			.query(this::map)
			.optional();
	}

	void markSent(UUID id, Instant now) {
		jdbc.sql("UPDATE notification SET state = 'SENT', sent_at = ?, last_error = NULL WHERE id = ?")
			.params(Timestamp.from(now), id)
			.update();
	}

	void markFailed(UUID id, String error) {
		jdbc.sql("UPDATE notification SET state = 'FAILED', last_error = ? WHERE id = ? AND state = 'PENDING'")
			.params(error, id)
			.update();
	}

	/** Agents with notifications waiting for a digest: {@code [merchantId, agentId]}. */
	List<UUID[]> agentsWithCollected() {
		return jdbc.sql("SELECT DISTINCT merchant_id, agent_id FROM notification WHERE state = 'COLLECTED'")
			.query((rs, row) -> new UUID[] { rs.getObject(1, UUID.class), rs.getObject(2, UUID.class) })
			.list();
	}

	/** Locks and answers an agent's collected notifications, oldest first. */
	List<Row> lockCollected(UUID merchantId, UUID agentId) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM notification WHERE merchant_id = ? AND agent_id = ? AND state = 'COLLECTED'
				ORDER BY created_at, id FOR UPDATE""")
			.params(merchantId, agentId)
			.query(this::map)
			.list();
	}

	void markDigested(List<UUID> ids, UUID digestId, Instant now) {
		jdbc.sql("UPDATE notification SET state = 'DIGESTED', digest_id = ?, sent_at = ? WHERE id = ANY (?)")
			.params(digestId, Timestamp.from(now), ids.toArray(UUID[]::new))
			.update();
	}

	/** An agent's in-app notifications, unread first, newest first. */
	List<Row> inbox(UUID merchantId, UUID agentId, int offset, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM notification WHERE agent_id = ? AND merchant_id = ? AND channel = 'IN_APP'
				  AND state IN ('PENDING', 'SENT')
				ORDER BY (read_at IS NOT NULL), created_at DESC, id OFFSET ? LIMIT ?""")
			.params(agentId, merchantId, offset, limit)
			.query(this::map)
			.list();
	}

	long inboxSize(UUID merchantId, UUID agentId) {
		return jdbc.sql("""
				SELECT count(*) FROM notification WHERE agent_id = ? AND merchant_id = ? AND channel = 'IN_APP'
				  AND state IN ('PENDING', 'SENT')""")
			.params(agentId, merchantId)
			.query(Long.class)
			.single();
	}

	/** Marks one of the agent's in-app notifications read (once); answers it. */
	Optional<Row> markRead(UUID merchantId, UUID agentId, UUID id, Instant now) {
		jdbc.sql("""
				UPDATE notification SET read_at = ? WHERE id = ? AND agent_id = ? AND merchant_id = ?
				  AND channel = 'IN_APP' AND read_at IS NULL""")
			.params(Timestamp.from(now), id, agentId, merchantId)
			.update();
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM notification WHERE id = ? AND agent_id = ? AND merchant_id = ? AND channel = 'IN_APP'
				  AND state IN ('PENDING', 'SENT')""")
			.params(id, agentId, merchantId)
			.query(this::map)
			.optional();
	}

	private Row map(ResultSet rs, int row) throws SQLException {
		var read = rs.getTimestamp("read_at");
		return new Row(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
				RecipientKind.valueOf(rs.getString("recipient_kind")), rs.getString("recipient"),
				rs.getObject("agent_id", UUID.class), rs.getString("email"),
				NotificationType.valueOf(rs.getString("type")), Channel.valueOf(rs.getString("channel")),
				rs.getObject("source_event_id", UUID.class), rs.getObject("ticket_id", UUID.class),
				read(rs.getString("payload")), State.valueOf(rs.getString("state")),
				rs.getTimestamp("created_at").toInstant(), read == null ? null : read.toInstant());
	}

	private String write(JsonNode node) {
		try {
			return json.writeValueAsString(node);
		}
		catch (JsonProcessingException e) {
			throw new IllegalArgumentException(e);
		}
	}

	private JsonNode read(String text) {
		try {
			return json.readTree(text);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}
}
