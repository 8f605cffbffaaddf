package com.acme.helpdesk.realtime;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

import com.acme.helpdesk.shared.ShutdownOrder;
import com.acme.helpdesk.tenancy.ApiKeys;
import com.acme.helpdesk.tickets.Tickets;

/**
 * STOMP over WebSocket at {@code /ws} (plain WebSocket, no SockJS). The in-memory broker serves this
 * process's clients; with {@code helpdesk.realtime.relay.enabled=true} a STOMP broker relay to RabbitMQ
 * carries every event (and in-app notification) to the clients of every process. The STOMP infrastructure
 * itself comes from {@link StompBrokerConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RealtimeProperties.class)
class WebSocketConfiguration implements WebSocketMessageBrokerConfigurer {

	private final RealtimeProperties properties;
	private final StompAccessControl accessControl;
	private final SimpleBrokerReceipts receipts;
	private TaskScheduler heartbeats;

	WebSocketConfiguration(RealtimeProperties properties, @Lazy ApiKeys apiKeys, @Lazy Tickets tickets,
			@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel) {
		this.properties = properties;
		this.accessControl = new StompAccessControl(apiKeys, tickets, () -> clientOutboundChannel);
		this.receipts = new SimpleBrokerReceipts(() -> clientOutboundChannel);
	}

	@Autowired
	void setHeartbeats(@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler heartbeats) {
		this.heartbeats = heartbeats;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint("/ws").setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
		registry.setErrorHandler(new RefusalErrorHandler());
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.setUserDestinationPrefix("/user");
		registry.setPreservePublishOrder(true);
		var heartbeat = properties.heartbeat().toMillis();
		var relay = properties.relay();
		if (relay.enabled()) {
			registry.enableStompBrokerRelay("/topic", "/queue")
				// Our own TCP client: Spring's default looks for reactor-netty-http, which this service does not need.
				.setTcpClient(new ReactorNettyTcpClient<>(relay.host(), relay.port(), new StompReactorNettyCodec()))
				.setClientLogin(relay.login())
				.setClientPasscode(relay.passcode())
				.setSystemLogin(relay.login())
				.setSystemPasscode(relay.passcode())
				.setSystemHeartbeatSendInterval(heartbeat)
				.setSystemHeartbeatReceiveInterval(heartbeat)
				.setUserDestinationBroadcast("/topic/unresolved-user-destination")
				.setUserRegistryBroadcast("/topic/simp-user-registry")
				// replaces the host header of every CONNECT: RabbitMQ takes it for a virtual host and refuses
				// a browser's location.hostname
				.setVirtualHost(relay.virtualHost());
			registry.configureBrokerChannel().interceptors(RelayDestinations.toBroker());
		}
		else {
			registry.enableSimpleBroker("/topic", "/queue")
				.setHeartbeatValue(new long[] { heartbeat, heartbeat })
				.setTaskScheduler(heartbeats);
		}
	}

	/**
	 * The broker and the WebSocket handler stop first when the process stops, closing every session ({@code 1001 going
	 * away}) before the HTTP server drains ({@link ShutdownOrder}); Spring's default (0) would keep them open until
	 * after the job servers' grace.
	 */
	@Override
	public Integer getPhase() {
		return ShutdownOrder.NEW_WORK;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		if (properties.relay().enabled()) {
			registration.interceptors(accessControl, RelayDestinations.toBroker());
		}
		else {
			registration.interceptors(accessControl, receipts);
		}
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		if (properties.relay().enabled()) {
			registration.interceptors(RelayDestinations.fromBroker());
		}
	}

	/** Answers a refused frame with an ERROR frame whose {@code message} header says why. */
	static final class RefusalErrorHandler extends StompSubProtocolErrorHandler {

		@Override
		public Message<byte[]> handleClientMessageProcessingError(Message<byte[]> clientMessage, Throwable ex) {
			var cause = ex;
			while (cause != null && !(cause instanceof StompAccessControl.Refused)) {
				cause = cause.getCause();
			}
			if (cause == null) {
				return super.handleClientMessageProcessingError(clientMessage, ex);
			}
			var accessor = StompHeaderAccessor.create(StompCommand.ERROR);
			accessor.setMessage(cause.getMessage());
			accessor.setLeaveMutable(true);
			if (clientMessage != null) {
				var client = StompHeaderAccessor.wrap(clientMessage);
				if (client.getReceipt() != null) {
					accessor.setReceiptId(client.getReceipt());
				}
			}
			return MessageBuilder.createMessage(cause.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8),
					accessor.getMessageHeaders());
		}
	}
}
