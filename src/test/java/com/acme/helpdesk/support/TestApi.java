package com.acme.helpdesk.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.annotation.Lazy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** Talks to the running application over real HTTP, as clients do. */
@TestComponent
@Lazy
public class TestApi {

	public static final String OPS_TOKEN = "test-ops-token";

	public record Response(int status, JsonNode body, java.net.http.HttpHeaders headers) {

		public String header(String name) {
			return headers.firstValue(name).orElse(null);
		}
	}

	public record Merchant(UUID id, String adminKey) {
	}

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private static final ObjectMapper JSON = new ObjectMapper();

	private final String baseUrl;
	private final int port;

	@org.springframework.beans.factory.annotation.Autowired
	public TestApi(@Value("${local.server.port}") int port) {
		this.baseUrl = "http://localhost:" + port;
		this.port = port;
	}

	public int port() {
		return port;
	}

	public String baseUrl() {
		return baseUrl;
	}

	public Merchant newMerchant() {
		var response = post("/ops/v1/merchants", OPS_TOKEN, Map.of("name", "Merchant " + UUID.randomUUID()));
		if (response.status() != 201) {
			throw new IllegalStateException("merchant creation failed: " + response);
		}
		return new Merchant(UUID.fromString(response.body().get("merchantId").asText()),
				response.body().get("adminApiKey").asText());
	}

	/** A ticket with nothing but a subject and a requester; answers its id. */
	public UUID newTicket(Merchant merchant) {
		var response = post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "s", "requester", Map.of("email", "a@example.com")));
		if (response.status() != 201) {
			throw new IllegalStateException("ticket creation failed: " + response);
		}
		return UUID.fromString(response.body().get("id").asText());
	}

	public Response get(String path, String key) {
		return send(request(path, key).GET());
	}

	/** A GET of a non-JSON resource; answers status and text. */
	public Response getText(String path, String key) {
		try {
			var builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
			if (key != null) {
				builder.header("Authorization", "Bearer " + key);
			}
			var response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), com.fasterxml.jackson.databind.node.TextNode.valueOf(response.body()),
					response.headers());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	public Response post(String path, String key, Object body) {
		return post(path, key, body, Map.of());
	}

	public Response post(String path, String key, Object body, Map<String, String> headers) {
		var builder = request(path, key).POST(HttpRequest.BodyPublishers.ofString(json(body)));
		headers.forEach(builder::header);
		return send(builder);
	}

	public Response postRaw(String path, String key, String rawBody) {
		return send(request(path, key).POST(HttpRequest.BodyPublishers.ofString(rawBody)));
	}

	public Response patch(String path, String key, Object body) {
		return send(request(path, key).method("PATCH", HttpRequest.BodyPublishers.ofString(json(body))));
	}

	public Response put(String path, String key, Object body) {
		return send(request(path, key).PUT(HttpRequest.BodyPublishers.ofString(json(body))));
	}

	/** A GET answering plain text (e.g. {@code /actuator/prometheus}). */
	public String getText(String path) {
		try {
			return CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build(),
					HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	public Response delete(String path, String key) {
		return send(request(path, key).DELETE());
	}

	private HttpRequest.Builder request(String path, String key) {
		var builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, application/problem+json");
		if (key != null) {
			builder.header("Authorization", "Bearer " + key);
		}
		return builder;
	}

	private static Response send(HttpRequest.Builder builder) {
		try {
			var response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			var body = response.body() == null || response.body().isBlank() ? NullNode.getInstance()
					: JSON.readTree(response.body());
			return new Response(response.statusCode(), body, response.headers());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static String json(Object body) {
		if (body instanceof String raw) {
			return raw;
		}
		try {
			return JSON.writeValueAsString(body);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
