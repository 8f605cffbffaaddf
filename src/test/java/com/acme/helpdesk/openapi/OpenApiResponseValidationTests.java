package com.acme.helpdesk.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.shared.ProblemType;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.RawHttp;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.surveys.SurveyRuns;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Replays representative calls of every operation of the served OpenAPI document against the running service (real
 * HTTP, real database) and validates each request and answer against the document with Atlassian's
 * swagger-request-validator: status, headers, content type, and the body against its schema, where a field the
 * schema does not name is an error too. Error answers are validated as well (problem details).
 */
@HelpdeskTest
class OpenApiResponseValidationTests {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Autowired
	TestApi api;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	private JsonNode document;
	private OpenApiInteractionValidator validator;
	private final List<String> violations = new ArrayList<>();
	private final Set<String> replayed = new TreeSet<>();
	private final Set<UUID> merchants = new LinkedHashSet<>();

	/** What the service answered to one call. */
	private record Answer(int status, String text, JsonNode json, Map<String, List<String>> headers) {

		String header(String name) {
			return headers.entrySet()
				.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.map(e -> e.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

		String get(String field) {
			return json.path(field).asText();
		}
	}

	@BeforeEach
	void loadTheDocument() throws IOException {
		var text = api.getText("/v3/api-docs");
		document = JSON.readTree(text);
		validator = OpenApiInteractionValidator.createForInlineApiSpecification(text)
			// a field the document does not name is an error: the document lists every field the service answers
			.withLevelResolver(LevelResolver.create()
				.withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
				.build())
			.build();
	}

	@AfterEach
	void discardLeftoverJobs() {
		LeftoverJobs.discard(jdbc, merchants);
	}

	@Test
	void everyOperationAnswersAsTheDocumentSays() throws Exception {
		var ops = TestApi.OPS_TOKEN;
		var merchant = call("POST", "/ops/v1/merchants", ops, Map.of("name", "Validated merchant"));
		var merchantId = merchant.get("merchantId");
		merchants.add(UUID.fromString(merchantId));
		var admin = merchant.get("adminApiKey");

		call("PUT", "/ops/v1/merchants/" + merchantId + "/rate-limit", ops, Map.of("requests", 100_000, "period", "PT1M"));
		call("GET", "/ops/v1/merchants/" + merchantId + "/rate-limit", ops, null);
		call("DELETE", "/ops/v1/merchants/" + merchantId + "/rate-limit", ops, null);

		var category = call("POST", "/api/v1/categories", admin,
				Map.of("name", "Shipping", "routing", Map.of("strategy", "LOAD_BALANCED"))).get("id");
		call("GET", "/api/v1/categories?page=0&size=10", admin, null);
		call("GET", "/api/v1/categories/" + category, admin, null);
		var tag = call("POST", "/api/v1/tags", admin, Map.of("name", "vip")).get("id");
		call("GET", "/api/v1/tags", admin, null);

		var agent = call("POST", "/api/v1/agents", admin, Map.of("name", "Bob", "email", "bob@example.com", "capacity", 5,
				"categoryIds", List.of(category), "availability", "AWAY"));
		var agentId = agent.get("id");
		var agentKey = agent.get("apiKey");
		call("GET", "/api/v1/agents", admin, null);
		call("GET", "/api/v1/agents/" + agentId, admin, null);
		call("PATCH", "/api/v1/agents/" + agentId, agentKey, Map.of("availability", "OFFLINE"));

		call("PUT", "/api/v1/sla-policies/HIGH", admin, Map.of("firstResponse", "PT1H", "resolution", "PT8H",
				"warningPercent", 75, "businessHours", Map.of("timeZone", "Europe/Berlin", "weekly",
						Map.of("MONDAY", List.of(Map.of("from", "09:00", "to", "18:00"))))));
		call("PUT", "/api/v1/sla-policies/LOW", admin, Map.of("firstResponse", "PT4H", "resolution", "P2D"));
		call("GET", "/api/v1/sla-policies/HIGH", admin, null);
		call("GET", "/api/v1/sla-policies", admin, null);
		call("PUT", "/api/v1/escalation-policy", admin, Map.of("levels", List.of(
				Map.of("after", "PT0S", "action", "NOTIFY_SUPERVISOR", "supervisorAgentIds", List.of(agentId)),
				Map.of("after", "PT30M", "action", "RAISE_PRIORITY"))));
		call("GET", "/api/v1/escalation-policy", admin, null);

		call("PUT", "/api/v1/settings", admin, Map.of("returnTicketsOfOfflineAgents", true, "surveyDelay", "PT0S"));
		call("GET", "/api/v1/settings", agentKey, null);
		call("POST", "/api/v1/settings/webhook-secret", admin, null);

		// a ticket with every field, made twice with one Idempotency-Key, and one with none of the optional ones
		var full = new LinkedHashMap<String, Object>();
		full.put("subject", "Parcel missing");
		full.put("description", "Order A-1042 has not arrived.");
		full.put("requester", Map.of("email", "ann@example.com", "name", "Ann", "externalId", "c-1"));
		full.put("categoryId", category);
		full.put("priority", "HIGH");
		full.put("tagIds", List.of(tag));
		full.put("context", Map.of("orderId", "A-1042", "items", List.of(1, 2)));
		full.put("metadata", Map.of("channel", "web"));
		var created = call("POST", "/api/v1/tickets", admin, full, Map.of("Idempotency-Key", "order-42"));
		assertThat(created.header("Idempotent-Replayed")).isEqualTo("false");
		var replay = call("POST", "/api/v1/tickets", admin, full, Map.of("Idempotency-Key", "order-42"));
		assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
		full.put("subject", "Another parcel");
		assertThat(call("POST", "/api/v1/tickets", admin, full, Map.of("Idempotency-Key", "order-42")))
			.satisfies(problem(422, ProblemType.IDEMPOTENCY_KEY_REUSED));
		var ticket = created.get("id");
		var bare = call("POST", "/api/v1/tickets", admin,
				Map.of("subject", "Printer", "requester", Map.of("email", "carl@example.com"), "priority", "LOW")).get("id");
		call("GET", "/api/v1/tickets/" + bare, admin, null);

		call("POST", "/api/v1/tickets/" + ticket + "/assignment", admin, Map.of("agentId", agentId));
		var message = call("POST", "/api/v1/tickets/" + ticket + "/messages", agentKey,
				Map.of("body", "We have asked the carrier.", "authorType", "AGENT")).get("id");
		call("POST", "/api/v1/tickets/" + ticket + "/messages", admin,
				Map.of("body", "Note to self", "authorType", "AGENT", "internal", true));
		call("POST", "/api/v1/tickets/" + ticket + "/messages", admin, Map.of("body", "Thanks!", "authorType", "CUSTOMER"));
		call("GET", "/api/v1/tickets/" + ticket + "/messages", admin, null);
		call("GET", "/api/v1/tickets/" + ticket + "/messages/" + message, admin, null);
		call("POST", "/api/v1/tickets/" + ticket + "/status", admin, Map.of("status", "PENDING", "reason", "carrier"));
		call("GET", "/api/v1/tickets/" + ticket + "/sla", admin, null);
		call("POST", "/api/v1/tickets/" + ticket + "/status", admin, Map.of("status", "RESOLVED"));
		call("GET", "/api/v1/tickets/" + ticket, agentKey, null);
		call("GET", "/api/v1/tickets?status=RESOLVED&priority=HIGH&tagId=" + tag + "&categoryId=" + category
				+ "&assigneeId=" + agentId + "&requesterEmail=ann@example.com&page=0&size=5", admin, null);
		call("GET", "/api/v1/tickets/" + bare + "/sla", admin, null);

		call("GET", "/api/v1/tickets/" + ticket + "/survey", admin, null); // 404: none sent yet
		new SurveyRuns(context).trigger(UUID.fromString(merchantId), UUID.fromString(ticket));
		var token = call("GET", "/api/v1/tickets/" + ticket + "/survey", admin, null).get("token");
		call("GET", "/public/v1/surveys/" + token, null, null);
		call("POST", "/public/v1/surveys/" + token + "/response", null, Map.of("rating", 5, "comment", "Quick"));
		assertThat(call("POST", "/public/v1/surveys/" + token + "/response", null, Map.of("rating", 4)))
			.satisfies(problem(409, ProblemType.CONFLICT));
		call("GET", "/public/v1/surveys/unknown-token", null, null);
		call("GET", "/api/v1/surveys/stats?from=2026-01-01", admin, null);

		var notification = call("GET", "/api/v1/notifications", agentKey, null).json().path("items").path(0).path("id");
		assertThat(notification.isTextual()).as("the assignment's notification").isTrue();
		call("POST", "/api/v1/notifications/" + notification.asText() + "/read", agentKey, null);
		call("GET", "/api/v1/notification-preferences", agentKey, null);
		call("PUT", "/api/v1/notification-preferences", agentKey,
				Map.of("types", Map.of("TICKET_ASSIGNED", Map.of("channels", List.of("IN_APP"), "delivery", "DIGEST"))));
		assertThat(call("GET", "/api/v1/notifications", admin, null)).satisfies(problem(403, ProblemType.FORBIDDEN));
		call("GET", "/api/v1/notification-deliveries?ticketId=" + ticket + "&state=PENDING", admin, null);
		call("GET", "/api/v1/notification-deliveries", admin, null);

		var range = "from=" + LocalDate.now(ZoneOffset.UTC).minusDays(7) + "&to=" + LocalDate.now(ZoneOffset.UTC).plusDays(1)
				+ "&timeZone=Europe/Berlin";
		for (var accept : List.of("application/json", "text/csv")) {
			call("GET", "/api/v1/analytics/summary?" + range, admin, null, Map.of("Accept", accept));
			call("GET", "/api/v1/analytics/timeseries?metric=firstResponseSeconds.median&groupBy=day&" + range, admin, null,
					Map.of("Accept", accept));
			call("GET", "/api/v1/analytics/breakdown?by=priority&" + range, admin, null, Map.of("Accept", accept));
		}
		assertThat(call("GET", "/api/v1/analytics/breakdown?by=category&" + range, agentKey, null))
			.satisfies(problem(403, ProblemType.FORBIDDEN));

		var key = call("POST", "/api/v1/api-keys", admin, Map.of("role", "AGENT", "agentId", agentId, "expiresAt",
				"2030-01-01T00:00:00Z"));
		call("GET", "/api/v1/api-keys", admin, null);
		call("DELETE", "/api/v1/api-keys/" + key.get("id"), admin, null);
		var adminKeyId = "";
		for (var listed : call("GET", "/api/v1/api-keys", admin, null).json().path("items")) {
			adminKeyId = "ADMIN".equals(listed.path("role").asText()) ? listed.path("id").asText() : adminKeyId;
		}
		assertThat(call("DELETE", "/api/v1/api-keys/" + adminKeyId, admin, null))
			.satisfies(problem(409, ProblemType.CONFLICT));
		call("GET", "/api/v1/audit-events?size=5", admin, null);

		call("GET", "/ops/v1/dead-letters?queue=helpdesk.notification", ops, null);
		call("POST", "/ops/v1/dead-letters/" + UUID.randomUUID() + "/requeue", ops, null);
		call("DELETE", "/ops/v1/dead-letters/" + UUID.randomUUID(), ops, null);
		call("GET", "/ops/v1/event-publications", ops, null);
		call("POST", "/ops/v1/event-publications/resubmit", ops, Map.of("olderThan", "PT1H"));
		call("POST", "/ops/v1/event-publications/purge", ops, Map.of("olderThan", "P3650D"));
		call("POST", "/ops/v1/sla-monitor/run", ops, null);
		var mail = call("GET", "/ops/v1/dev-mail?size=1", ops, null).json().path("items").path(0).path("id");
		if (mail.isTextual()) { // the development sink, when no SMTP server is configured, keeps mail across runs
			call("GET", "/ops/v1/dev-mail/" + mail.asText(), ops, null, Map.of("Accept", "message/rfc822"));
		}
		call("GET", "/ops/v1/dev-mail/20260101T000000000Z-" + UUID.randomUUID(), ops, null);
		call("POST", "/ops/v1/analytics/rebuild", ops, Map.of("merchantId", merchantId));

		// errors: every one a problem detail of the documented shape, whose type names its kind
		assertThat(answerOnly("POST", "/api/v1/tickets", admin,
				Map.of("subject", "", "requester", Map.of("email", "not-mail"))))
			.satisfies(problem(400, ProblemType.INVALID_REQUEST));
		assertThat(answerOnly("GET", "/api/v1/tickets", "hd_wrong", null))
			.satisfies(problem(401, ProblemType.UNAUTHORIZED));
		assertThat(call("POST", "/api/v1/categories", agentKey,
				Map.of("name", "Billing", "routing", Map.of("strategy", "MANUAL"))))
			.satisfies(problem(403, ProblemType.FORBIDDEN));
		assertThat(call("GET", "/api/v1/tickets/" + UUID.randomUUID(), admin, null))
			.satisfies(problem(404, ProblemType.NOT_FOUND));
		assertThat(call("POST", "/api/v1/tags", admin, Map.of("name", "VIP")))
			.satisfies(problem(409, ProblemType.CONFLICT));
		assertThat(answerOnly("POST", "/api/v1/tags", admin, "name=vip", Map.of("Content-Type", "text/plain")))
			.satisfies(problem(415, ProblemType.UNSUPPORTED_MEDIA_TYPE));
		var big = ("{\"name\": \"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
		var tooLarge = RawHttp.send("127.0.0.1", api.port(), "POST /api/v1/tags HTTP/1.1\r\nHost: localhost\r\n"
				+ "Authorization: Bearer " + admin + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length,
				big);
		validateAnswer("POST", "/api/v1/tags", tooLarge.status(), tooLarge.body(),
				tooLarge.headers().entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
						e -> List.of(e.getValue()))));
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(JSON.readTree(tooLarge.body()).path("type").asText())
			.isEqualTo(ProblemType.CONTENT_TOO_LARGE.uri().toString());

		assertThat(violations).as("answers that break the OpenAPI document").isEmpty();
		var operations = operations();
		operations.removeAll(replayed);
		assertThat(operations).as("documented operations this test does not replay").isEmpty();
	}

	/** The validator is live: an answer that breaks the document (a null subject, an unknown status) is reported. */
	@Test
	void theValidatorReportsAnAnswerThatBreaksTheDocument() throws Exception {
		var merchant = api.newMerchant();
		merchants.add(merchant.id());
		var answer = call("GET", "/api/v1/tickets/" + api.newTicket(merchant), merchant.adminKey(), null);
		assertThat(violations).isEmpty();

		var broken = (ObjectNode) answer.json().deepCopy();
		broken.putNull("subject");
		broken.put("status", "LOST");
		broken.put("colour", "red");
		validateAnswer("GET", "/api/v1/tickets/" + answer.get("id"), 200, JSON.writeValueAsString(broken),
				answer.headers());

		assertThat(String.join("\n", violations)).contains("subject").contains("LOST").contains("colour");
	}

	private static java.util.function.Consumer<Answer> problem(int status, ProblemType type) {
		return answer -> {
			assertThat(answer.status()).isEqualTo(status);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
			assertThat(answer.get("type")).isEqualTo(type.uri().toString());
		};
	}

	private Answer call(String method, String pathAndQuery, String key, Object body) {
		return call(method, pathAndQuery, key, body, Map.of());
	}

	/** Sends the call, then validates request and answer against the document. */
	private Answer call(String method, String pathAndQuery, String key, Object body, Map<String, String> headers) {
		var answer = send(method, pathAndQuery, key, body, headers);
		var request = request(method, pathAndQuery, key, body, headers);
		report(method + " " + pathAndQuery + " -> " + answer.status(),
				validator.validate(request, response(answer.status(), answer.text(), answer.headers())));
		replayed.add(operationOf(method, path(pathAndQuery)));
		return answer;
	}

	/** A call whose request breaks the document on purpose (bad input, a wrong key): only the answer is validated. */
	private Answer answerOnly(String method, String pathAndQuery, String key, Object body) {
		return answerOnly(method, pathAndQuery, key, body, Map.of());
	}

	private Answer answerOnly(String method, String pathAndQuery, String key, Object body, Map<String, String> headers) {
		var answer = send(method, pathAndQuery, key, body, headers);
		validateAnswer(method, path(pathAndQuery), answer.status(), answer.text(), answer.headers());
		return answer;
	}

	private void validateAnswer(String method, String path, int status, String text, Map<String, List<String>> headers) {
		report(method + " " + path + " -> " + status,
				validator.validateResponse(path, Request.Method.valueOf(method), response(status, text, headers)));
	}

	private void report(String call, ValidationReport report) {
		for (var message : report.getMessages()) {
			if (message.getLevel() == ValidationReport.Level.ERROR) {
				violations.add(call + ": " + message.getKey() + ": " + message.getMessage()
						+ (message.getNestedMessages().isEmpty() ? "" : " " + message.getNestedMessages()));
			}
		}
	}

	private Answer send(String method, String pathAndQuery, String key, Object body, Map<String, String> headers) {
		var builder = HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30));
		var all = new LinkedHashMap<String, String>();
		all.put("Accept", "application/json, application/problem+json");
		if (body != null) {
			all.put("Content-Type", "application/json");
		}
		if (key != null) {
			all.put("Authorization", "Bearer " + key);
		}
		all.putAll(headers);
		all.forEach(builder::header);
		builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofString(text(body)));
		try {
			var response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			var contentType = response.headers().firstValue("Content-Type").orElse("");
			var json = contentType.contains("json") && !response.body().isBlank() ? JSON.readTree(response.body())
					: NullNode.getInstance();
			return new Answer(response.statusCode(), response.body(), json, response.headers().map());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static SimpleRequest request(String method, String pathAndQuery, String key, Object body,
			Map<String, String> headers) {
		var request = new SimpleRequest.Builder(method, path(pathAndQuery));
		var query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
		for (var pair : query.isEmpty() ? new String[0] : query.split("&")) {
			var eq = pair.indexOf('=');
			request.withQueryParam(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		if (key != null) {
			request.withAuthorization("Bearer " + key);
		}
		if (body != null) {
			request.withContentType("application/json").withBody(text(body));
		}
		headers.forEach(request::withHeader);
		return request.build();
	}

	private static SimpleResponse response(int status, String text, Map<String, List<String>> headers) {
		var response = new SimpleResponse.Builder(status);
		headers.forEach((name, values) -> {
			if (name != null && !name.equals(":status")) {
				response.withHeader(name, values);
			}
		});
		if (text != null && !text.isEmpty()) {
			response.withBody(text);
		}
		return response.build();
	}

	private static String path(String pathAndQuery) {
		var question = pathAndQuery.indexOf('?');
		return question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
	}

	private static String text(Object body) {
		try {
			return body instanceof String raw ? raw : JSON.writeValueAsString(body);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Every operation of the document, as {@code METHOD /path/{template}}. */
	private Set<String> operations() {
		var operations = new TreeSet<String>();
		document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
			.forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
		return operations;
	}

	/** The operation a call is of: the path template that matches it with the most literal segments. */
	private String operationOf(String method, String path) {
		var best = (String) null;
		var bestLiterals = -1;
		for (var template : operations()) {
			var space = template.indexOf(' ');
			if (!template.substring(0, space).equals(method)) {
				continue;
			}
			var pathTemplate = template.substring(space + 1);
			var regex = Pattern.quote(pathTemplate).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
			if (path.matches(regex)) {
				var literals = pathTemplate.split("/").length - pathTemplate.split("\\{").length + 1;
				if (literals > bestLiterals) {
					best = template;
					bestLiterals = literals;
				}
			}
		}
		return best == null ? method + " " + path + " (no operation)" : best;
	}
}
