package com.acme.helpdesk.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A merchant's webhook endpoint on a free local port: records every call, checks its signature with the secret,
 * and answers {@code status} (200 unless changed).
 */
public final class TestWebhook implements AutoCloseable {

	public record Call(Instant at, String timestamp, String signature, String body, boolean signatureValid) {

		public JsonNode json() {
			try {
				return new ObjectMapper().readTree(body);
			}
			catch (IOException e) {
				throw new IllegalStateException(e);
			}
		}
	}

	private final HttpServer server;
	private final String secret;
	private final List<Call> calls = new CopyOnWriteArrayList<>();
	private final AtomicInteger status;

	public TestWebhook(String secret, int status) throws IOException {
		this.secret = secret;
		this.status = new AtomicInteger(status);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/hook", exchange -> {
			var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			var timestamp = exchange.getRequestHeaders().getFirst("X-Helpdesk-Timestamp");
			var signature = exchange.getRequestHeaders().getFirst("X-Helpdesk-Signature");
			calls.add(new Call(Instant.now(), timestamp, signature, body,
					signature != null && signature.equals("sha256=" + hmac(timestamp + "." + body))));
			exchange.sendResponseHeaders(this.status.get(), -1);
			exchange.close();
		});
		server.start();
	}

	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
	}

	public List<Call> calls() {
		return List.copyOf(calls);
	}

	private String hmac(String text) {
		try {
			var mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
