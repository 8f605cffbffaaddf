package com.acme.helpdesk.shared;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes a listener idempotent: {@code if (!processedEvents.firstDelivery(LISTENER_ID, event.eventId())) return;}
 * at the start of the listener records the event in the listener's transaction, so the record and the
 * listener's effects commit or roll back together. A concurrent second delivery waits on the row and then
 * finds it.
 */
@Component
public class ProcessedEvents {

	private final JdbcClient jdbc;
	private final Clock clock;

	ProcessedEvents(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public boolean firstDelivery(String listenerId, UUID eventId) {
		return jdbc.sql("INSERT INTO processed_event (listener_id, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
			.params(listenerId, eventId, Timestamp.from(clock.instant()))
			.update() == 1;
	}
}
