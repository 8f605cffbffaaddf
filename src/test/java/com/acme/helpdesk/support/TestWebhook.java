package com.acme.helpdesk.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;

/**
 * A merchant's webhook endpoint on a free local port: records every call, verifies it with the official Standard
 * Webhooks library and the secret, and answers {@code status} (200 unless changed).
 */
public final class TestWebhook implements AutoCloseable {

	public record Call(Instant at, String id, String timestamp, String signature, String body,
			Map<String, List<String>> headers, boolean signatureValid) {

		public JsonNode json() {
			try {
				return new ObjectMapper().readTree(body);
			}
			catch (IOException e) {
				throw new IllegalStateException(e);
			}
		}

		/** Whether the Standard Webhooks library accepts this call as signed with {@code secret}. */
		public boolean verifiesWith(String secret) {
			return TestWebhook.verifies(secret, body, headers);
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
			var headers = Map.copyOf(exchange.getRequestHeaders());
			var request = exchange.getRequestHeaders();
			calls.add(new Call(Instant.now(), request.getFirst("webhook-id"), request.getFirst("webhook-timestamp"),
					request.getFirst("webhook-signature"), body, headers, verifies(this.secret, body, headers)));
			exchange.sendResponseHeaders(this.status.get(), -1);
			exchange.close();
		});
		server.start();
	}

	/** A Standard Webhooks secret ({@code whsec_<base64>}) whose key is the UTF-8 bytes of {@code seed}. */
	public static String secret(String seed) {
		return "whsec_" + Base64.getEncoder().encodeToString(seed.getBytes(StandardCharsets.UTF_8));
	}

	public static boolean verifies(String secret, String body, Map<String, List<String>> headers) {
		try {
			new Webhook(secret).verify(body, headers);
			return true;
		}
		catch (WebhookVerificationException e) {
			return false;
		}
	}

	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
	}

	public int port() {
		return server.getAddress().getPort();
	}

	public void answer(int status) {
		this.status.set(status);
	}

	public List<Call> calls() {
		return List.copyOf(calls);
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
