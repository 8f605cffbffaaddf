package com.acme.helpdesk.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} will not send: a request from another loopback
 * address (127.0.0.2: another client address to the server), a malformed request line, a body without a length.
 * Each request closes its connection.
 */
public final class RawHttp {

	public record Answer(int status, Map<String, String> headers, String body) {

		public String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}
	}

	private RawHttp() {
	}

	/** Sends {@code head} (request line and headers, without the blank line) and then {@code body} as is. */
	public static Answer send(String fromAddress, int port, String head, byte[] body) {
		try (var socket = new Socket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
			socket.setSoTimeout(30_000);
			var out = socket.getOutputStream();
			out.write((head + (head.contains("\r\nConnection:") ? "" : "\r\nConnection: close") + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			if (body != null) {
				try {
					out.write(body);
				}
				catch (IOException e) {
					// the server answered before reading the whole body and closed: read what it said
				}
			}
			out.flush();
			return read(socket.getInputStream());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static Answer get(String fromAddress, int port, String path, String bearer) {
		var head = "GET " + path + " HTTP/1.1\r\nHost: localhost" + (bearer == null ? "" : "\r\nAuthorization: Bearer " + bearer);
		return send(fromAddress, port, head, null);
	}

	/** A body sent in chunks, with no Content-Length. */
	public static byte[] chunked(byte[] body, int chunkSize) {
		var out = new ByteArrayOutputStream();
		for (int i = 0; i < body.length; i += chunkSize) {
			int n = Math.min(chunkSize, body.length - i);
			out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.write(body, i, n);
			out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		}
		out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		return out.toByteArray();
	}

	private static Answer read(InputStream in) throws IOException {
		var bytes = in.readAllBytes();
		var text = new String(bytes, StandardCharsets.UTF_8);
		var end = text.indexOf("\r\n\r\n");
		var head = end < 0 ? text : text.substring(0, end);
		var lines = head.split("\r\n");
		var status = Integer.parseInt(lines[0].split(" ")[1]);
		var headers = new LinkedHashMap<String, String>();
		for (int i = 1; i < lines.length; i++) {
			var colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
			}
		}
		var body = end < 0 ? "" : text.substring(end + 4);
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = dechunk(body);
		}
		return new Answer(status, headers, body);
	}

	private static String dechunk(String body) {
		var out = new StringBuilder();
		int i = 0;
		while (i < body.length()) {
			int lineEnd = body.indexOf("\r\n", i);
			if (lineEnd < 0) {
				break;
			}
			int size = Integer.parseInt(body.substring(i, lineEnd).split(";")[0].trim(), 16);
			if (size == 0) {
				break;
			}
			out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
			i = lineEnd + 2 + size + 2;
		}
		return out.toString();
	}
}
