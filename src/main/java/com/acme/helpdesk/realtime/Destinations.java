package com.acme.helpdesk.realtime;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The STOMP destinations clients may subscribe to, and what each names. */
final class Destinations {

	static final String NOTIFICATIONS = "/user/queue/notifications";
	static final String NOTIFICATIONS_USER_DESTINATION = "/queue/notifications";

	private static final String UUID_PATTERN = "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";
	private static final Pattern OBSERVATION = Pattern.compile("/topic/observation/helpdesk/" + UUID_PATTERN);
	private static final Pattern ROOM = Pattern.compile("/topic/helpdesk/" + UUID_PATTERN + "(?:/" + UUID_PATTERN + ")?");

	/** A destination a client asked for: the merchant it belongs to, or the ticket whose room it is. */
	sealed interface Target {
	}

	record Observation(UUID merchantId) implements Target {
	}

	record Room(UUID ticketId) implements Target {
	}

	record Notifications() implements Target {
	}

	private Destinations() {
	}

	static String observation(UUID merchantId) {
		return "/topic/observation/helpdesk/" + merchantId;
	}

	static String ticketRoom(UUID ticketId) {
		return "/topic/helpdesk/" + ticketId;
	}

	static String messageRoom(UUID ticketId, UUID messageId) {
		return "/topic/helpdesk/" + ticketId + "/" + messageId;
	}

	/** What a subscription names; empty for anything else (wildcards, unknown prefixes, malformed ids). */
	static Optional<Target> parse(String destination) {
		if (destination == null) {
			return Optional.empty();
		}
		if (NOTIFICATIONS.equals(destination)) {
			return Optional.of(new Notifications());
		}
		var observation = OBSERVATION.matcher(destination);
		if (observation.matches()) {
			return Optional.of(new Observation(UUID.fromString(observation.group(1))));
		}
		var room = ROOM.matcher(destination);
		if (room.matches()) {
			return Optional.of(new Room(UUID.fromString(room.group(1))));
		}
		return Optional.empty();
	}
}
