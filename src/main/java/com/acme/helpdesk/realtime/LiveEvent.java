package com.acme.helpdesk.realtime;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One event to push: its name ({@code ticket.status_changed}), where it belongs and its data. Built by
 * the listeners of {@link LiveEventListeners}, one line per event type.
 */
record LiveEvent(String event, UUID merchantId, UUID ticketId, UUID messageId, Instant occurredAt, Long ticketVersion,
		Map<String, Object> data) {

	/** The data of an event as ordered key/value pairs; values may be null. */
	static Map<String, Object> data(Object... pairs) {
		var data = new LinkedHashMap<String, Object>();
		for (int i = 0; i < pairs.length; i += 2) {
			data.put((String) pairs[i], pairs[i + 1]);
		}
		return data;
	}

	String room() {
		if (ticketId == null) {
			return null;
		}
		return messageId == null ? "helpdesk/" + ticketId : "helpdesk/" + ticketId + "/" + messageId;
	}

	LiveEnvelope envelope() {
		return new LiveEnvelope(LiveEnvelope.TOPIC, room(), event, merchantId, ticketId, messageId, occurredAt, ticketVersion,
				data);
	}

	/**
	 * The same id for the same event (a name-based UUID of its fields): clients drop a frame whose {@code event-id}
	 * header they have seen.
	 */
	String id() {
		return UUID.nameUUIDFromBytes(String.join("|", event, String.valueOf(merchantId), String.valueOf(ticketId),
				String.valueOf(messageId), String.valueOf(occurredAt), String.valueOf(data))
			.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
	}
}
