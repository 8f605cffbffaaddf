package com.acme.helpdesk.realtime;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * Spring's thread-safe session, except that a close after an {@code ERROR} frame lets the frames already queued
 * go out first. Spring's STOMP handler closes the session right after sending an {@code ERROR} frame; when another
 * thread is still flushing (the {@code CONNECTED} frame a moment ago, a push), the {@code ERROR} waits in the buffer
 * and Spring's close drops it, so the client would see a bare close instead of the reason.
 */
class ErrorFrameFlushingSession extends ConcurrentWebSocketSessionDecorator {

	private static final long FLUSH_WAIT_NANOS = Duration.ofSeconds(1).toNanos();

	ErrorFrameFlushingSession(WebSocketSession session, int sendTimeLimit, int bufferSizeLimit) {
		super(session, sendTimeLimit, bufferSizeLimit);
	}

	@Override
	public void close(CloseStatus status) throws IOException {
		if (CloseStatus.PROTOCOL_ERROR.equals(status)) {
			var deadline = System.nanoTime() + FLUSH_WAIT_NANOS;
			while ((getBufferSize() > 0 || getTimeSinceSendStarted() > 0) && isOpen()
					&& System.nanoTime() < deadline) {
				LockSupport.parkNanos(100_000);
			}
		}
		super.close(status);
	}
}
