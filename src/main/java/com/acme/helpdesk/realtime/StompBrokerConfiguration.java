package com.acme.helpdesk.realtime;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.DelegatingWebSocketMessageBrokerConfiguration;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/**
 * What {@code @EnableWebSocketMessageBroker} sets up, with sessions that send their last {@code ERROR} frame
 * before closing ({@link ErrorFrameFlushingSession}). The endpoint, broker and channels are configured in
 * {@link WebSocketConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class StompBrokerConfiguration extends DelegatingWebSocketMessageBrokerConfiguration {

	@Bean
	@Override
	public WebSocketHandler subProtocolWebSocketHandler(AbstractSubscribableChannel clientInboundChannel,
			AbstractSubscribableChannel clientOutboundChannel) {
		var handler = new FlushingSubProtocolWebSocketHandler(clientInboundChannel, clientOutboundChannel);
		handler.setPhase(getPhase());
		return handler;
	}

	private static final class FlushingSubProtocolWebSocketHandler extends SubProtocolWebSocketHandler {

		FlushingSubProtocolWebSocketHandler(SubscribableChannel clientInboundChannel,
				SubscribableChannel clientOutboundChannel) {
			super(clientInboundChannel, clientOutboundChannel);
		}

		@Override
		protected WebSocketSession decorateSession(WebSocketSession session) {
			return new ErrorFrameFlushingSession(session, getSendTimeLimit(), getSendBufferSizeLimit());
		}
	}
}
