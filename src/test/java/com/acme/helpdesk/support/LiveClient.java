package com.acme.helpdesk.support;

import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MappingJackson2MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real STOMP-over-WebSocket client of {@code /ws} (Spring's {@link WebSocketStompClient}), recording every
 * frame it receives with the time it arrived, and every ERROR frame.
 */
public final class LiveClient implements AutoCloseable {

	/** A MESSAGE frame: its destination, {@code event-id} header, envelope, and arrival ({@link System#nanoTime()}). */
	public record Frame(String destination, String eventId, JsonNode envelope, long receivedAt) {

		public String event() {
			return envelope.path("event").asText();
		}
	}

	private static final WebSocketStompClient CLIENT = client();

	private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
	private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
	private final CompletableFuture<StompSession> session;

	private LiveClient(String url, String apiKey, java.util.Map<String, String> connectHeaders) {
		var headers = new StompHeaders();
		if (apiKey != null) {
			headers.add("Authorization", "Bearer " + apiKey);
		}
		connectHeaders.forEach(headers::add);
		this.session = CLIENT.connectAsync(url, new WebSocketHttpHeaders(), headers, new StompSessionHandlerAdapter() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return String.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				errors.add(headers.getFirst("message") + ": " + payload);
			}

			@Override
			public void handleException(StompSession session, StompCommand command, StompHeaders headers,
					byte[] payload, Throwable exception) {
				errors.add("exception: " + exception);
			}

			@Override
			public void handleTransportError(StompSession session, Throwable exception) {
				errors.add("transport: " + exception);
			}
		});
	}

	public static WebSocketStompClient client() {
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new CompositeMessageConverter(
				List.of(new StringMessageConverter(), new MappingJackson2MessageConverter())));
		client.setInboundMessageSizeLimit(1024 * 1024);
		var scheduler = new org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler();
		scheduler.setPoolSize(2);
		scheduler.setDaemon(true);
		scheduler.setThreadNamePrefix("stomp-client-");
		scheduler.initialize();
		client.setTaskScheduler(scheduler);
		client.setReceiptTimeLimit(10_000);
		return client;
	}

	/** Starts connecting to {@code ws://localhost:<port>/ws}; {@link #awaitConnected()} or {@link #nextError()} tell. */
	public static LiveClient connecting(int port, String apiKey) {
		return new LiveClient("ws://localhost:" + port + "/ws", apiKey, java.util.Map.of());
	}

	/** Connects with more headers in {@code CONNECT} (a browser's {@code host}, say) and waits for CONNECTED. */
	public static LiveClient connect(int port, String apiKey, java.util.Map<String, String> connectHeaders) {
		var client = new LiveClient("ws://localhost:" + port + "/ws", apiKey, connectHeaders);
		client.awaitConnected();
		return client;
	}

	/** Connects and waits for CONNECTED. */
	public static LiveClient connect(int port, String apiKey) {
		var client = connecting(port, apiKey);
		client.awaitConnected();
		return client;
	}

	public StompSession awaitConnected() {
		try {
			return session.get(10, TimeUnit.SECONDS);
		}
		catch (Exception e) {
			throw new IllegalStateException("STOMP CONNECT failed; errors: " + errors, e);
		}
	}

	/**
	 * Subscribes with a receipt and waits for it, so the subscription is in place when this returns; an
	 * ERROR frame instead shows in {@link #nextError()}.
	 */
	public boolean subscribe(String destination) {
		var stomp = awaitConnected();
		var headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setReceipt("r-" + java.util.UUID.randomUUID());
		var receipt = new CompletableFuture<Boolean>();
		var subscription = stomp.subscribe(headers, new StompFrameHandler() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return JsonNode.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				frames.add(new Frame(headers.getDestination(), headers.getFirst("event-id"), (JsonNode) payload,
						System.nanoTime()));
			}
		});
		subscription.addReceiptTask(() -> receipt.complete(true));
		subscription.addReceiptLostTask(() -> receipt.complete(false));
		try {
			return receipt.get(10, TimeUnit.SECONDS);
		}
		catch (Exception e) {
			return false;
		}
	}

	/** Subscribes without waiting for anything (for subscriptions that are to be refused). */
	public void subscribeNoWait(String destination) {
		awaitConnected().subscribe(destination, new StompFrameHandler() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return JsonNode.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				frames.add(new Frame(headers.getDestination(), headers.getFirst("event-id"), (JsonNode) payload,
						System.nanoTime()));
			}
		});
	}

	/** The next frame within the timeout, or null. */
	public Frame nextFrame(long timeoutMillis) {
		try {
			return frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** The next frame of the given event within the timeout (frames of other events skipped), or null. */
	public Frame nextFrame(String event, long timeoutMillis) {
		var deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		Frame frame;
		do {
			frame = nextFrame(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
		while (frame != null && !event.equals(frame.event()));
		return frame;
	}

	/** The message of the next ERROR frame within 5 s (transport errors skipped), or null. */
	public String nextError() {
		try {
			var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			String error;
			do {
				error = errors.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			while (error != null && (error.startsWith("transport:") || error.startsWith("exception:")));
			return error;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	@Override
	public String toString() {
		return "LiveClient" + errors;
	}

	public boolean isConnected() {
		return session.isDone() && !session.isCompletedExceptionally() && session.join().isConnected();
	}

	@Override
	public void close() {
		if (session.isDone() && !session.isCompletedExceptionally()) {
			var stomp = session.join();
			if (stomp.isConnected()) {
				try {
					stomp.disconnect();
				}
				catch (org.springframework.messaging.MessageDeliveryException e) {
					// the server closed the session meanwhile (after an ERROR frame, say): nothing left to close
				}
			}
		}
		else {
			session.cancel(true);
		}
	}
}
