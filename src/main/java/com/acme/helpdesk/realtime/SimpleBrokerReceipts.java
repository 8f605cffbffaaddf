package com.acme.helpdesk.realtime;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * The in-memory broker ignores the {@code receipt} header; this answers a {@code SUBSCRIBE} that asks for
 * one with a {@code RECEIPT} once the broker has registered the subscription, as RabbitMQ does with the
 * relay. So a client knows when its subscription is live.
 */
class SimpleBrokerReceipts implements ExecutorChannelInterceptor {

	private final java.util.function.Supplier<MessageChannel> clientOutboundChannel;

	SimpleBrokerReceipts(java.util.function.Supplier<MessageChannel> clientOutboundChannel) {
		this.clientOutboundChannel = clientOutboundChannel;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler, Exception ex) {
		if (ex != null) {
			return;
		}
		var accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() != StompCommand.SUBSCRIBE || accessor.getReceipt() == null
				|| accessor.getDestination() == null) {
			return;
		}
		var userDestination = accessor.getDestination().startsWith("/user/");
		if (userDestination ? !(handler instanceof UserDestinationMessageHandler)
				: !(handler instanceof SimpleBrokerMessageHandler)) {
			return;
		}
		var receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
		receipt.setReceiptId(accessor.getReceipt());
		receipt.setSessionId(accessor.getSessionId());
		clientOutboundChannel.get().send(MessageBuilder.createMessage(new byte[0], receipt.getMessageHeaders()));
	}
}
