package com.acme.helpdesk.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * STOMP at the byte level over the JDK's WebSocket client: sends frames as written and records every frame
 * (and the close) as text, to check exactly what the server answers.
 */
public final class RawStomp implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
	private final WebSocket socket;

	public RawStomp(int port) {
		this.socket = HTTP.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + port + "/ws"), new WebSocket.Listener() {

				private final StringBuilder text = new StringBuilder();

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					text.append(data);
					if (last) {
						frames.add(text.toString());
						text.setLength(0);
					}
					webSocket.request(1);
					return null;
				}

				@Override
				public CompletionStage<?> onClose(WebSocket webSocket, int status, String reason) {
					frames.add("CLOSE " + status);
					return null;
				}
			})
			.join();
	}

	/** Sends {@code command}, the header lines and the body as one frame. */
	public RawStomp send(String command, String body, String... headers) {
		var frame = new StringBuilder(command).append('\n');
		for (var header : headers) {
			frame.append(header).append('\n');
		}
		frame.append('\n').append(body == null ? "" : body).append('\0');
		socket.sendText(frame, true).join();
		return this;
	}

	/** CONNECT, with {@code Authorization: Bearer <key>} when a key is given. */
	public RawStomp connect(String key) {
		return key == null ? send("CONNECT", null, "accept-version:1.2", "host:localhost")
				: send("CONNECT", null, "accept-version:1.2", "host:localhost", "Authorization:Bearer " + key);
	}

	/** The next frame (or {@code CLOSE <status>}) within 5 s, heart-beats skipped; null when none came. */
	public String next() {
		try {
			var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			String frame;
			do {
				frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			while (frame != null && frame.isBlank());
			return frame;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	@Override
	public void close() {
		socket.abort();
	}
}
