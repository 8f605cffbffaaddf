package com.acme.helpdesk.realtime;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * RabbitMQ's STOMP plugin takes {@code /topic/<routing key>} with no further {@code /}, while our
 * destinations are paths ({@code /topic/helpdesk/<ticketId>/<messageId>}). On the way to the relay the
 * path separators after {@code /topic/} become dots ({@code /topic/helpdesk.<ticketId>.<messageId>}); on the
 * way back to clients the dots become slashes again, so clients only ever see the documented destinations
 * (docs/architecture.md, "Real time"). Our destination segments are UUIDs and words, never containing dots, so the mapping is exact;
 * subscriptions are checked before the rewrite and never contain the wildcards {@code *} or {@code #}.
 */
final class RelayDestinations implements ChannelInterceptor {

	private static final String TOPIC = "/topic/";

	private final boolean toBroker;

	private RelayDestinations(boolean toBroker) {
		this.toBroker = toBroker;
	}

	/** For the channels that feed the relay: client inbound and broker channel. */
	static RelayDestinations toBroker() {
		return new RelayDestinations(true);
	}

	/** For the client outbound channel. */
	static RelayDestinations fromBroker() {
		return new RelayDestinations(false);
	}

	static String brokerForm(String destination) {
		return destination.startsWith(TOPIC) ? TOPIC + destination.substring(TOPIC.length()).replace('/', '.')
				: destination;
	}

	static String clientForm(String destination) {
		return destination.startsWith(TOPIC) ? TOPIC + destination.substring(TOPIC.length()).replace('.', '/')
				: destination;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		var destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
		if (destination == null || !destination.startsWith(TOPIC)) {
			return message;
		}
		var rewritten = toBroker ? brokerForm(destination) : clientForm(destination);
		if (rewritten.equals(destination)) {
			return message;
		}
		var accessor = MessageHeaderAccessor.getMutableAccessor(message);
		if (!(accessor instanceof SimpMessageHeaderAccessor simp)) {
			return message;
		}
		simp.setDestination(rewritten);
		return MessageBuilder.createMessage(message.getPayload(), simp.getMessageHeaders());
	}
}
