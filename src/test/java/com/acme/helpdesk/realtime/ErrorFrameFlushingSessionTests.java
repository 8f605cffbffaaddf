package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The race behind a refused SUBSCRIBE answered by a bare close: one thread is still sending (CONNECTED), a second
 * queues the ERROR frame and closes the session. Spring's decorator drops the queued frame; ours sends it first.
 */
class ErrorFrameFlushingSessionTests {

	@Test
	void anErrorFrameQueuedBehindASendInFlightGoesOutBeforeTheClose() throws Exception {
		var transport = new BlockingTransport();
		var session = new ErrorFrameFlushingSession(transport.session(), 10_000, 512 * 1024);

		var connected = CompletableFuture.runAsync(() -> send(session, "CONNECTED"));
		assertThat(transport.sending.await(5, TimeUnit.SECONDS)).isTrue();
		var refusal = new Thread(() -> {
			send(session, "ERROR");
			close(session);
		});
		refusal.start();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> refusal.getState() == Thread.State.TIMED_WAITING || !refusal.isAlive());

		transport.release.countDown();
		connected.get(5, TimeUnit.SECONDS);
		refusal.join(5_000);

		assertThat(transport.written).containsExactly("CONNECTED", "ERROR", "CLOSE 1002");
	}

	@Test
	void closesAtOnceWhenNothingIsQueued() throws Exception {
		var transport = new BlockingTransport();
		transport.release.countDown();
		var session = new ErrorFrameFlushingSession(transport.session(), 10_000, 512 * 1024);

		send(session, "ERROR");
		session.close(CloseStatus.PROTOCOL_ERROR);

		assertThat(transport.written).containsExactly("ERROR", "CLOSE 1002");
	}

	private static void send(WebSocketSession session, String frame) {
		try {
			session.sendMessage(new TextMessage(frame));
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private static void close(WebSocketSession session) {
		try {
			session.close(CloseStatus.PROTOCOL_ERROR);
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	/** A socket whose first send blocks until released; records what was written and the close. */
	private static final class BlockingTransport {

		final List<String> written = new CopyOnWriteArrayList<>();
		final CountDownLatch sending = new CountDownLatch(1);
		final CountDownLatch release = new CountDownLatch(1);
		volatile boolean open = true;

		WebSocketSession session() {
			return (WebSocketSession) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { WebSocketSession.class }, (proxy, method, args) -> switch (method.getName()) {
						case "sendMessage" -> {
							sending.countDown();
							release.await(5, TimeUnit.SECONDS);
							written.add(((TextMessage) args[0]).getPayload());
							yield null;
						}
						case "close" -> {
							open = false;
							written.add("CLOSE " + ((CloseStatus) args[0]).getCode());
							yield null;
						}
						case "isOpen" -> open;
						case "getId" -> "session-1";
						case "toString" -> "blocking transport";
						case "hashCode" -> System.identityHashCode(proxy);
						case "equals" -> proxy == args[0];
						default -> throw new UnsupportedOperationException(method.getName());
					});
		}
	}
}
