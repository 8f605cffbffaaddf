package com.acme.helpdesk.realtime;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * Spring's thread-safe session, except that a close after an {@code ERROR} frame lets the frames already queued
 * go out first. Spring's STOMP handler closes the session right after sending an {@code ERROR} frame; when another
 * thread is still flushing (the {@code CONNECTED} frame a moment ago, a push), the {@code ERROR} waits in the buffer
 * and Spring's close drops it, so the client would see a bare close instead of the reason.
 * <p>
 * The frames not yet written are counted from the moment they are handed in to the moment the socket has written
 * them: Spring's own buffer size and send time leave a gap between taking a frame off the buffer and starting to
 * write it (and its send time counts in whole milliseconds).
 */
class ErrorFrameFlushingSession extends ConcurrentWebSocketSessionDecorator {

	private static final long FLUSH_WAIT_NANOS = Duration.ofSeconds(1).toNanos();

	private final AtomicInteger unwritten;

	ErrorFrameFlushingSession(WebSocketSession session, int sendTimeLimit, int bufferSizeLimit) {
		this(new AtomicInteger(), session, sendTimeLimit, bufferSizeLimit);
	}

	private ErrorFrameFlushingSession(AtomicInteger unwritten, WebSocketSession session, int sendTimeLimit,
			int bufferSizeLimit) {
		super(new WebSocketSessionDecorator(session) {
			@Override
			public void sendMessage(WebSocketMessage<?> message) throws IOException {
				try {
					super.sendMessage(message);
				}
				finally {
					unwritten.decrementAndGet();
				}
			}
		}, sendTimeLimit, bufferSizeLimit);
		this.unwritten = unwritten;
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		unwritten.incrementAndGet();
		super.sendMessage(message);
	}

	@Override
	public void close(CloseStatus status) throws IOException {
		if (CloseStatus.PROTOCOL_ERROR.equals(status)) {
			var deadline = System.nanoTime() + FLUSH_WAIT_NANOS;
			// a frame refused by the limits is never written: the session then closes, or the deadline ends the wait
			while (unwritten.get() > 0 && isOpen() && System.nanoTime() < deadline) {
				LockSupport.parkNanos(100_000);
			}
		}
		super.close(status);
	}
}
