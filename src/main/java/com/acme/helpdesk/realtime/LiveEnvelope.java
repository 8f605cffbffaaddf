package com.acme.helpdesk.realtime;

import java.time.Instant;
import java.util.UUID;

/**
 * The one JSON shape of every frame pushed to clients (docs/architecture.md, "Real time"). {@code room} is
 * {@code helpdesk/<ticketId>[/<messageId>]}, null for events of no ticket; {@code ticketVersion} is the ticket's version
 * as the change committed it (null for events that change no ticket); {@code data} is the event's own fields.
 */
public record LiveEnvelope(String topic, String room, String event, UUID merchantId, UUID ticketId, UUID messageId,
		Instant occurredAt, Long ticketVersion, Object data) {

	public static final String TOPIC = "observation/helpdesk";
}
