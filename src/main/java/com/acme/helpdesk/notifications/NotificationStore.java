package com.acme.helpdesk.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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

	/** A notification with its delivery: {@code failedAttempts} and the last one's {@code lastError} and time. */
	record Row(UUID id, UUID merchantId, RecipientKind kind, String recipient, UUID agentId, String email,
			NotificationType type, Channel channel, UUID sourceEventId, UUID ticketId, JsonNode payload, State state,
			Instant createdAt, Instant readAt, Instant sentAt, int failedAttempts, String lastError,
			Instant lastFailedAt) {
	}

	/** The notifications of one source event. */
	record OfEvent(UUID sourceEventId, List<NewNotification> notifications) {
	}

	record Inserted(UUID id, UUID sourceEventId, String recipient, Channel channel, State state) {
	}

	private static final String COLUMNS = """
			id, merchant_id, recipient_kind, recipient, agent_id, email, type, channel, source_event_id, ticket_id,
			payload::text AS payload, state, created_at, read_at, sent_at, failed_attempts, last_error, last_failed_at
			""";

	private final JdbcClient jdbc;
	private final ObjectMapper json;

	NotificationStore(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Inserts the notifications of one source event in one statement; those that exist are left as they are.
	 * Answers the ones inserted, by recipient and channel.
	 */
	List<Inserted> insertAll(UUID merchantId, UUID sourceEventId, Instant now, List<NewNotification> notifications) {
		return insertAll(merchantId, now, List.of(new OfEvent(sourceEventId, notifications)));
	}

	/**
	 * Inserts the notifications of the merchant's source events in one statement; those that exist are left as they
	 * are. Answers the ones inserted, by source event, recipient and channel.
	 */
	List<Inserted> insertAll(UUID merchantId, Instant now, List<OfEvent> events) {
		var n = events.stream().mapToInt(event -> event.notifications().size()).sum();
		if (n == 0) {
			return List.of();
		}
		String[] ids = new String[n], sourceEvents = new String[n], kinds = new String[n], recipients = new String[n],
				agents = new String[n], emails = new String[n], types = new String[n], channels = new String[n],
				tickets = new String[n], payloads = new String[n], states = new String[n];
		var i = 0;
		for (var event : events) {
			for (var notification : event.notifications()) {
				ids[i] = UUID.randomUUID().toString();
				sourceEvents[i] = event.sourceEventId().toString();
				kinds[i] = notification.kind().name();
				recipients[i] = notification.recipient();
				agents[i] = notification.agentId() == null ? null : notification.agentId().toString();
				emails[i] = notification.email();
				types[i] = notification.type().name();
				channels[i] = notification.channel().name();
				tickets[i] = notification.ticketId() == null ? null : notification.ticketId().toString();
				payloads[i] = write(notification.payload());
				states[i] = notification.state().name();
				i++;
			}
		}
		return jdbc.sql("""
				INSERT INTO notification (id, merchant_id, recipient_kind, recipient, agent_id, email, type, channel,
				    source_event_id, ticket_id, payload, state, created_at)
				SELECT r.id, ?, r.kind, r.recipient, r.agent, r.email, r.type, r.channel, r.event, r.ticket,
				    CAST(r.payload AS jsonb), r.state, ?
				FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[],
				    ?::uuid[], ?::text[], ?::text[])
				    AS r(id, event, kind, recipient, agent, email, type, channel, ticket, payload, state)
				ON CONFLICT ON CONSTRAINT notification_once DO NOTHING
				RETURNING id, source_event_id, recipient, channel, state""")
			.params(merchantId, Timestamp.from(now), ids, sourceEvents, kinds, recipients, agents, emails, types, channels,
					tickets, payloads, states)
			.query((rs, row) -> new Inserted(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
					rs.getString(3), Channel.valueOf(rs.getString(4)), State.valueOf(rs.getString(5))))
			.stream()
			.sorted(Comparator.comparing((Inserted inserted) -> inserted.sourceEventId().toString())
				.thenComparing(Inserted::recipient)
				.thenComparing(inserted -> inserted.channel().name()))
			.toList();
	}

	/** Locks the row for its delivery (a concurrent delivery waits, then finds it sent). */
	Optional<Row> lock(UUID merchantId, UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE id = ? AND merchant_id = ? FOR UPDATE")
			.params(id, merchantId)
			.query(this::map)
			.optional();
	}

	/** Sent; the last failure before, if any, stays readable ({@code failedAttempts}, {@code lastError}). */
	void markSent(UUID id, Instant now) {
		jdbc.sql("UPDATE notification SET state = 'SENT', sent_at = ? WHERE id = ?")
			.params(Timestamp.from(now), id)
			.update();
	}

	/**
	 * A delivery attempt of the pending notification failed: counts it and keeps its reason; {@code last} (no retry
	 * follows) marks it {@code FAILED}.
	 */
	void recordFailure(UUID id, String error, Instant now, boolean last) {
		jdbc.sql("""
				UPDATE notification SET failed_attempts = failed_attempts + 1, last_error = ?, last_failed_at = ?,
				  state = CASE WHEN ? THEN 'FAILED' ELSE state END
				WHERE id = ? AND state = 'PENDING'""")
			.params(error, Timestamp.from(now), last, id)
			.update();
	}

	/** A digest of the agent's collected notifications failed: they stay collected for the next one. */
	void recordDigestFailure(UUID merchantId, UUID agentId, String error, Instant now) {
		jdbc.sql("""
				UPDATE notification SET failed_attempts = failed_attempts + 1, last_error = ?, last_failed_at = ?
				WHERE merchant_id = ? AND agent_id = ? AND awaiting_digest""")
			.params(error, Timestamp.from(now), merchantId, agentId)
			.update();
	}

	/** A ticket's notifications (every recipient and channel), newest first; {@code state} null for all. */
	List<Row> ofTicket(UUID merchantId, UUID ticketId, State state, int offset, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM notification WHERE ticket_id = ? AND merchant_id = ? AND (CAST(? AS text) IS NULL OR state = ?)
				ORDER BY created_at DESC, id OFFSET ? LIMIT ?""")
			.params(ticketId, merchantId, name(state), name(state), offset, limit)
			.query(this::map)
			.list();
	}

	long countOfTicket(UUID merchantId, UUID ticketId, State state) {
		return jdbc.sql("""
				SELECT count(*) FROM notification WHERE ticket_id = ? AND merchant_id = ?
				  AND (CAST(? AS text) IS NULL OR state = ?)""")
			.params(ticketId, merchantId, name(state), name(state))
			.query(Long.class)
			.single();
	}

	/** The merchant's notifications whose delivery failed at least once, newest failure first. */
	List<Row> failedOnce(UUID merchantId, State state, int offset, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM notification WHERE merchant_id = ? AND last_failed_at IS NOT NULL
				  AND (CAST(? AS text) IS NULL OR state = ?)
				ORDER BY last_failed_at DESC, id OFFSET ? LIMIT ?""")
			.params(merchantId, name(state), name(state), offset, limit)
			.query(this::map)
			.list();
	}

	long countFailedOnce(UUID merchantId, State state) {
		return jdbc.sql("""
				SELECT count(*) FROM notification WHERE merchant_id = ? AND last_failed_at IS NOT NULL
				  AND (CAST(? AS text) IS NULL OR state = ?)""")
			.params(merchantId, name(state), name(state))
			.query(Long.class)
			.single();
	}

	private static String name(State state) {
		return state == null ? null : state.name();
	}

	/** Makes those of the notifications marked {@code FAILED} {@code PENDING} again (their last error stays). */
	void markPendingAgain(UUID merchantId, List<UUID> ids) {
		jdbc.sql("UPDATE notification SET state = 'PENDING' WHERE id = ANY (?) AND merchant_id = ? AND state = 'FAILED'")
			.params(ids.toArray(UUID[]::new), merchantId)
			.update();
	}

	/** Agents with notifications waiting for a digest: {@code [merchantId, agentId]}. */
	List<UUID[]> agentsWithCollected() {
		return jdbc.sql("SELECT DISTINCT merchant_id, agent_id FROM notification WHERE awaiting_digest")
			.query((rs, row) -> new UUID[] { rs.getObject(1, UUID.class), rs.getObject(2, UUID.class) })
			.list();
	}

	/** Locks and answers an agent's collected notifications, oldest first. */
	List<Row> lockCollected(UUID merchantId, UUID agentId) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM notification WHERE merchant_id = ? AND agent_id = ? AND awaiting_digest
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
				 FROM notification WHERE agent_id = ? AND merchant_id = ? AND in_inbox
				ORDER BY (read_at IS NOT NULL), created_at DESC, id OFFSET ? LIMIT ?""")
			.params(agentId, merchantId, offset, limit)
			.query(this::map)
			.list();
	}

	long inboxSize(UUID merchantId, UUID agentId) {
		return jdbc.sql("""
				SELECT count(*) FROM notification WHERE agent_id = ? AND merchant_id = ? AND in_inbox""")
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
				 FROM notification WHERE id = ? AND agent_id = ? AND merchant_id = ? AND in_inbox""")
			.params(id, agentId, merchantId)
			.query(this::map)
			.optional();
	}

	private Row map(ResultSet rs, int row) throws SQLException {
		return new Row(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
				RecipientKind.valueOf(rs.getString("recipient_kind")), rs.getString("recipient"),
				rs.getObject("agent_id", UUID.class), rs.getString("email"),
				NotificationType.valueOf(rs.getString("type")), Channel.valueOf(rs.getString("channel")),
				rs.getObject("source_event_id", UUID.class), rs.getObject("ticket_id", UUID.class),
				read(rs.getString("payload")), State.valueOf(rs.getString("state")),
				rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("read_at")),
				instant(rs.getTimestamp("sent_at")), rs.getInt("failed_attempts"), rs.getString("last_error"),
				instant(rs.getTimestamp("last_failed_at")));
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
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
