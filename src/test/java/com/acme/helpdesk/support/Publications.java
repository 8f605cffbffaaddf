package com.acme.helpdesk.support;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The event publication registry's rows ({@code event_publication}, completion mode {@code update}): how a test sees
 * that an asynchronous listener has handled an event, including a second delivery of the same event, which may change
 * nothing else.
 */
public final class Publications {

	private final JdbcClient jdbc;

	public Publications(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** How many deliveries of the event (by its {@code eventId}) the listener has completed. */
	public long completed(String listenerId, UUID eventId) {
		return jdbc.sql("""
				SELECT count(*) FROM event_publication
				WHERE listener_id = ? AND serialized_event LIKE ? AND completion_date IS NOT NULL""")
			.params(listenerId, "%" + eventId + "%")
			.query(Long.class)
			.single();
	}
}
