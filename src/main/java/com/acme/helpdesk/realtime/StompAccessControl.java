package com.acme.helpdesk.realtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.util.MimeTypeUtils;

import com.acme.helpdesk.tenancy.ApiKeys;
import com.acme.helpdesk.tickets.Tickets;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The door of {@code /ws}: {@code CONNECT} must carry {@code Authorization: Bearer <api key>}; a
 * {@code SUBSCRIBE} may name only the caller's merchant topic, a room of one of its tickets, or its
 * notifications; clients never {@code SEND}. A refused {@code CONNECT} throws {@link Refused}, which the STOMP
 * handler answers with an {@code ERROR} frame; a refused {@code SUBSCRIBE} or {@code SEND} is dropped and answered
 * with an {@code ERROR} frame through the client outbound channel, in order after the frames already on their
 * way (so {@code CONNECTED} is never overtaken). After an {@code ERROR} the server closes the connection.
 */
class StompAccessControl implements ChannelInterceptor {

	static final String AUTHORIZATION = "Authorization";

	/** Why a frame was refused; its message is the ERROR frame's {@code message} header. */
	static final class Refused extends MessageDeliveryException {

		Refused(String description) {
			super(description);
		}
	}

	private final ApiKeys apiKeys;
	private final Tickets tickets;
	private final Supplier<MessageChannel> clientOutboundChannel;
	/** ticket id -> merchant id of tickets seen to exist; a ticket never changes merchant. */
	private final Cache<UUID, UUID> ticketMerchants = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(30))
		.build();

	StompAccessControl(ApiKeys apiKeys, Tickets tickets, Supplier<MessageChannel> clientOutboundChannel) {
		this.apiKeys = apiKeys;
		this.tickets = tickets;
		this.clientOutboundChannel = clientOutboundChannel;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		var accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() == null) {
			return message;
		}
		try {
			switch (accessor.getCommand()) {
				case CONNECT, STOMP -> authenticate(accessor);
				case SUBSCRIBE -> authorize(accessor);
				case SEND -> throw new Refused("Clients may not send to destinations");
				default -> {
				}
			}
			return message;
		}
		catch (Refused refused) {
			if (accessor.getCommand() == StompCommand.CONNECT || accessor.getCommand() == StompCommand.STOMP) {
				throw refused;
			}
			var error = StompHeaderAccessor.create(StompCommand.ERROR);
			error.setMessage(refused.getMessage());
			error.setSessionId(accessor.getSessionId());
			error.setContentType(MimeTypeUtils.TEXT_PLAIN);
			if (accessor.getReceipt() != null) {
				error.setReceiptId(accessor.getReceipt());
			}
			clientOutboundChannel.get()
				.send(MessageBuilder.createMessage(refused.getMessage().getBytes(StandardCharsets.UTF_8),
						error.getMessageHeaders()));
			return null;
		}
	}

	private void authenticate(StompHeaderAccessor accessor) {
		var header = accessor.getFirstNativeHeader(AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw new Refused("CONNECT needs the header Authorization with the value Bearer <api key>");
		}
		var tenant = apiKeys.resolve(header.substring(7).strip())
			.orElseThrow(() -> new Refused("Unknown or revoked API key"));
		accessor.setUser(new LiveUser(tenant));
		accessor.removeNativeHeader(AUTHORIZATION);
	}

	private void authorize(StompHeaderAccessor accessor) {
		if (!(accessor.getUser() instanceof LiveUser user)) {
			throw new Refused("Not connected");
		}
		var merchantId = user.tenant().merchantId();
		var destination = accessor.getDestination();
		var target = Destinations.parse(destination)
			.orElseThrow(() -> new Refused("No such destination " + destination));
		boolean allowed;
		if (target instanceof Destinations.Observation observation) {
			allowed = observation.merchantId().equals(merchantId);
		}
		else if (target instanceof Destinations.Room room) {
			allowed = merchantId.equals(merchantOf(merchantId, room.ticketId()));
		}
		else {
			allowed = target instanceof Destinations.Notifications;
		}
		if (!allowed) {
			throw new Refused("Access denied to " + destination);
		}
	}

	private UUID merchantOf(UUID merchantId, UUID ticketId) {
		var known = ticketMerchants.getIfPresent(ticketId);
		if (known != null) {
			return known;
		}
		var found = tickets.find(merchantId, ticketId).map(ticket -> ticket.merchantId()).orElse(null);
		if (found != null) {
			ticketMerchants.put(ticketId, found);
		}
		return found;
	}
}
