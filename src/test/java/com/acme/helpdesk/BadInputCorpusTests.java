package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.RawHttp;
import com.acme.helpdesk.support.TestApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 16's bad-input corpus: malformed, out-of-range, oversized and sloppy requests over every endpoint. Every
 * answer must be a 4xx {@code application/problem+json} (400s naming the field where one is to blame), and no
 * refused request may write: the rows of every table of the service (count and content) are the same before and
 * after the corpus.
 */
@HelpdeskTest
class BadInputCorpusTests {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final String NUL = "\\u0000";
	private static final String JSON_TYPE = "application/json";

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	/** One request of the corpus and what it must answer; {@code field} null when no one field is to blame. */
	record Case(String method, String path, String key, String body, Map<String, String> headers, int status,
			String field) {

		@Override
		public String toString() {
			var shown = body == null ? "" : " " + (body.length() > 120 ? body.substring(0, 120) + "..." : body);
			return method + " " + path + shown + " " + headers;
		}
	}

	private final List<Case> cases = new ArrayList<>();

	@Test
	void everyBadRequestAnswersAProblemDetailAndWritesNothing() {
		var merchant = api.newMerchant();
		var other = api.newMerchant();
		var admin = merchant.adminKey();
		var ops = TestApi.OPS_TOKEN;
		var category = api.post("/api/v1/categories", admin, Map.of("name", "Billing", "routing",
				Map.of("strategy", "MANUAL"))).body().get("id").asText();
		api.post("/api/v1/tags", admin, Map.of("name", "vip"));
		var createdAgent = api.post("/api/v1/agents", admin,
				Map.of("name", "Ann", "email", "ann@example.com", "capacity", 5)).body();
		var agentId = createdAgent.get("id").asText();
		var agent = createdAgent.get("apiKey").asText();
		var otherAgent = api.post("/api/v1/agents", other.adminKey(),
				Map.of("name", "Bob", "email", "bob@example.com", "capacity", 5)).body().get("id").asText();
		var otherCategory = api.post("/api/v1/categories", other.adminKey(), Map.of("name", "Other", "routing",
				Map.of("strategy", "MANUAL"))).body().get("id").asText();
		var ticket = api.newTicket(merchant).toString();
		var otherTicket = api.newTicket(other).toString();
		var unknown = UUID.randomUUID().toString();
		var tickets = "/api/v1/tickets";
		var t = tickets + "/" + ticket;

		// tickets: create
		var valid = "\"subject\":\"s\",\"requester\":{\"email\":\"a@example.com\"}";
		bad("POST", tickets, admin, "{}", 400, null);
		bad("POST", tickets, admin, "{\"subject\":42,\"requester\":{\"email\":\"a@example.com\"}}", 400, "subject");
		bad("POST", tickets, admin, "{\"subject\":\" \",\"requester\":{\"email\":\"a@example.com\"}}", 400, "subject");
		bad("POST", tickets, admin, "{\"subject\":\"" + "s".repeat(501) + "\",\"requester\":{\"email\":\"a@example.com\"}}", 400, "subject");
		bad("POST", tickets, admin, "{" + valid + ",\"priority\":3}", 400, "priority");
		bad("POST", tickets, admin, "{" + valid + ",\"priority\":\"HUGE\"}", 400, "priority");
		bad("POST", tickets, admin, "{" + valid + ",\"priority\":true}", 400, "priority");
		bad("POST", tickets, admin, "{\"subject\":\"s\",\"requester\":{}}", 400, "requester.email");
		bad("POST", tickets, admin, "{\"subject\":\"s\",\"requester\":{\"email\":\"not-an-email\"}}", 400, "requester.email");
		bad("POST", tickets, admin, "{\"subject\":\"s\",\"requester\":\"a@example.com\"}", 400, "requester");
		bad("POST", tickets, admin, "{" + valid + ",\"categoryId\":\"nope\"}", 400, "categoryId");
		bad("POST", tickets, admin, "{" + valid + ",\"categoryId\":\"" + unknown + "\"}", 400, "categoryId");
		bad("POST", tickets, admin, "{" + valid + ",\"categoryId\":\"" + otherCategory + "\"}", 400, "categoryId");
		bad("POST", tickets, admin, "{" + valid + ",\"tagIds\":" + uuids(21) + "}", 400, "tagIds");
		bad("POST", tickets, admin, "{" + valid + ",\"tagIds\":[null]}", 400, null);
		bad("POST", tickets, admin, "{" + valid + ",\"tagIds\":[\"" + unknown + "\"]}", 400, null);
		bad("POST", tickets, admin, "{" + valid + ",\"context\":\"text\"}", 400, "context");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"blob\":\"" + "x".repeat(17_000) + "\"}}", 400, "context");
		bad("POST", tickets, admin, "{" + valid + ",\"metadata\":[1]}", 400, "metadata");
		bad("POST", tickets, admin, "{" + valid + "} {\"subject\":\"again\"}", 400, "body");
		bad("POST", tickets, admin, "{" + valid + "} trailing", 400, "body");
		bad("POST", tickets, admin, "{" + valid + "}]", 400, "body");
		bad("POST", tickets, admin, "{\"subject\":\"a\",\"subject\":\"b\",\"requester\":{\"email\":\"a@example.com\"}}", 400, "subject");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"k\":1,\"k\":2}}", 400, "context.k");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"n\":1e999999}}", 400, "context.n");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"n\":-1e999999}}", 400, "context.n");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"n\":NaN}}", 400, "body");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"n\":Infinity}}", 400, "body");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"n\":" + "9".repeat(101) + "}}", 400, "context.n");
		bad("POST", tickets, admin, "{\"subject\":\"a" + NUL + "b\",\"requester\":{\"email\":\"a@example.com\"}}", 400, "subject");
		bad("POST", tickets, admin, "{" + valid + ",\"description\":\"" + NUL + "\"}", 400, "description");
		bad("POST", tickets, admin, "{\"subject\":\"s\",\"requester\":{\"email\":\"a@example.com\",\"name\":\"A" + NUL + "\"}}", 400, "requester.name");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"note\":\"x" + NUL + "\"}}", 400, "context.note");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"list\":[\"ok\",\"" + NUL + "\"]}}", 400, "context.list[1]");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"k" + NUL + "\":1}}", 400, "context");
		bad("POST", tickets, admin, "{" + valid + ",\"metadata\":{\"k\":\"" + NUL + "\"}}", 400, "metadata.k");
		bad("POST", tickets, admin, "{\"subject\":\"\\ud800\",\"requester\":{\"email\":\"a@example.com\"}}", 400, "subject");
		bad("POST", tickets, admin, "{\"subject\":\"x\\udc00y\",\"requester\":{\"email\":\"a@example.com\"}}", 400, "subject");
		bad("POST", tickets, admin, "{\"subject\":\"\\udc00\\ud800\",\"requester\":{\"email\":\"a@example.com\"}}", 400, "subject");
		bad("POST", tickets, admin, "{" + valid + ",\"description\":\"end\\ud83d\"}", 400, "description");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"e\":\"\\ude00\"}}", 400, "context.e");
		bad("POST", tickets, admin, "{" + valid + ",\"foo\":1}", 400, "foo");
		bad("POST", tickets, admin, "{\"subject\":", 400, "body");
		bad("POST", tickets, admin, "{\"subject\":tru}", 400, "body");
		bad("POST", tickets, admin, "{'subject':'s'}", 400, "body");
		bad("POST", tickets, admin, "", 400, "body");
		bad("POST", tickets, admin, "[]", 400, "body");
		bad("POST", tickets, admin, "null", 400, "body");
		bad("POST", tickets, admin, "\"just a string\"", 400, "body");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}", 400, "context");
		bad("POST", tickets, admin, "{" + valid + ",\"metadata\":{\"items\":[" + "1,".repeat(1000) + "1]}}", 400, "metadata.items");
		bad("POST", tickets, admin, "{" + valid + ",\"context\":{\"s\":\"" + "x".repeat(100_001) + "\"}}", 400, "context.s");
		bad("POST", tickets, admin, "{" + valid + ",\"description\":\"" + "d".repeat(50_001) + "\"}", 400, "description");
		bad("POST", tickets, admin, "{" + valid + ",\"description\":\"" + "d".repeat(1_100_000) + "\"}", 413, null);
		add("POST", tickets, admin, "subject=s", Map.of("Content-Type", "text/plain"), 415, null);
		add("POST", tickets, admin, "subject=s", Map.of("Content-Type", "application/x-www-form-urlencoded"), 415, null);
		add("POST", tickets, admin, "--b\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\ns\r\n--b--\r\n",
				Map.of("Content-Type", "multipart/form-data; boundary=b"), 415, null);
		add("POST", tickets, admin, "{" + valid + "}", Map.of("Content-Type", JSON_TYPE, "Idempotency-Key", " "), 400, "Idempotency-Key");
		add("POST", tickets, admin, "{" + valid + "}", Map.of("Content-Type", JSON_TYPE, "Idempotency-Key", "k".repeat(256)), 400, "Idempotency-Key");
		add("POST", tickets, admin, "{\"subject\":1}", Map.of("Content-Type", JSON_TYPE, "Accept", "text/html"), 400, "subject");
		add("POST", tickets, admin, "{\"subject\":1}", Map.of("Content-Type", JSON_TYPE, "Accept", "application/xml"), 400, "subject");
		bad("POST", tickets, null, "{" + valid + "}", 401, null);
		bad("POST", tickets, "hd_wrong", "{" + valid + "}", 401, null);

		// tickets: list, read
		bad("GET", tickets + "?page=-1", admin, null, 400, "page");
		bad("GET", tickets + "?page=2147483647", admin, null, 400, "page");
		bad("GET", tickets + "?page=1000001", admin, null, 400, "page");
		bad("GET", tickets + "?page=99999999999", admin, null, 400, "page");
		bad("GET", tickets + "?page=abc", admin, null, 400, "page");
		bad("GET", tickets + "?page=1e3", admin, null, 400, "page");
		bad("GET", tickets + "?size=0", admin, null, 400, "size");
		bad("GET", tickets + "?size=101", admin, null, 400, "size");
		bad("GET", tickets + "?size=2147483647", admin, null, 400, "size");
		bad("GET", tickets + "?status=NOPE", admin, null, 400, "status");
		bad("GET", tickets + "?priority=3", admin, null, 400, "priority");
		bad("GET", tickets + "?assigneeId=xyz", admin, null, 400, "assigneeId");
		bad("GET", tickets + "?categoryId=xyz", admin, null, 400, "categoryId");
		bad("GET", tickets + "?tagId=xyz", admin, null, 400, "tagId");
		bad("GET", tickets + "?requesterEmail=a%00b", admin, null, 400, "requesterEmail");
		bad("GET", tickets + "/not-a-uuid", admin, null, 400, "id");
		bad("GET", tickets + "/" + unknown, admin, null, 404, null);
		bad("GET", tickets + "/" + otherTicket, admin, null, 404, null);
		bad("GET", tickets + "/%00", admin, null, 400, null);
		bad("GET", tickets + "/" + ticket + "%2F..%2F" + otherTicket, admin, null, 400, null);
		bad("DELETE", t, admin, null, 405, null);
		bad("PUT", t, admin, "{}", 405, null);

		// status, assignment, messages
		bad("POST", t + "/status", admin, "{}", 400, "status");
		bad("POST", t + "/status", admin, "{\"status\":3}", 400, "status");
		bad("POST", t + "/status", admin, "{\"status\":\"NOPE\"}", 400, "status");
		bad("POST", t + "/status", admin, "{\"status\":\"PENDING\",\"reason\":\"" + "r".repeat(1001) + "\"}", 400, "reason");
		bad("POST", t + "/status", admin, "{\"status\":\"PENDING\",\"reason\":\"" + NUL + "\"}", 400, "reason");
		bad("POST", tickets + "/zzz/status", admin, "{\"status\":\"PENDING\"}", 400, "id");
		bad("POST", tickets + "/" + otherTicket + "/status", admin, "{\"status\":\"PENDING\"}", 404, null);
		bad("POST", t + "/assignment", admin, "{}", 400, "agentId");
		bad("POST", t + "/assignment", admin, "{\"agentId\":\"x\"}", 400, "agentId");
		bad("POST", t + "/assignment", admin, "{\"agentId\":3}", 400, "agentId");
		bad("POST", t + "/assignment", admin, "{\"agentId\":\"" + unknown + "\"}", 400, "agentId");
		bad("POST", t + "/assignment", admin, "{\"agentId\":\"" + otherAgent + "\"}", 400, "agentId");
		bad("POST", t + "/messages", admin, "{}", 400, null);
		bad("POST", t + "/messages", admin, "{\"body\":\"\",\"authorType\":\"AGENT\"}", 400, "body");
		bad("POST", t + "/messages", admin, "{\"body\":\"" + "b".repeat(50_001) + "\",\"authorType\":\"AGENT\"}", 400, "body");
		bad("POST", t + "/messages", admin, "{\"body\":\"hi\",\"authorType\":1}", 400, "authorType");
		bad("POST", t + "/messages", admin, "{\"body\":\"hi\",\"authorType\":\"ROBOT\"}", 400, "authorType");
		bad("POST", t + "/messages", admin, "{\"body\":\"hi\",\"authorType\":\"AGENT\",\"internal\":\"yes\"}", 400, "internal");
		bad("POST", t + "/messages", admin, "{\"body\":\"hi\",\"authorType\":\"AGENT\",\"internal\":1}", 400, "internal");
		bad("POST", t + "/messages", admin, "{\"body\":\"h" + NUL + "i\",\"authorType\":\"AGENT\"}", 400, "body");
		bad("POST", t + "/messages", admin, "{\"body\":\"\\udbff\",\"authorType\":\"AGENT\"}", 400, "body");
		bad("POST", tickets + "/" + otherTicket + "/messages", admin, "{\"body\":\"hi\",\"authorType\":\"AGENT\"}", 404, null);
		bad("GET", t + "/messages?page=2147483647", admin, null, 400, "page");
		bad("GET", t + "/messages?size=201", admin, null, 400, "size");
		bad("GET", t + "/messages?size=-5", admin, null, 400, "size");
		bad("GET", t + "/messages/nope", admin, null, 400, "messageId");
		bad("GET", t + "/messages/" + unknown, admin, null, 404, null);
		bad("GET", t + "/sla/x", admin, null, 404, null);
		bad("GET", tickets + "/x/sla", admin, null, 400, "id");
		bad("GET", tickets + "/" + otherTicket + "/sla", admin, null, 404, null);
		bad("GET", t + "/survey", admin, null, 404, null);
		bad("GET", tickets + "/x/survey", admin, null, 400, "ticketId");

		// agents
		var agents = "/api/v1/agents";
		bad("POST", agents, admin, "{}", 400, null);
		bad("POST", agents, admin, agentJson("\"capacity\":-1"), 400, "capacity");
		bad("POST", agents, admin, agentJson("\"capacity\":10001"), 400, "capacity");
		bad("POST", agents, admin, agentJson("\"capacity\":\"5\""), 400, "capacity");
		bad("POST", agents, admin, agentJson("\"capacity\":5.5"), 400, "capacity");
		bad("POST", agents, admin, agentJson("\"capacity\":1e999999"), 400, "capacity");
		bad("POST", agents, admin, agentJson("\"capacity\":99999999999999999999"), 400, "capacity");
		bad("POST", agents, admin, agentJson("\"capacity\":5,\"availability\":1"), 400, "availability");
		bad("POST", agents, admin, agentJson("\"capacity\":5,\"availability\":\"MAYBE\""), 400, "availability");
		bad("POST", agents, admin, agentJson("\"capacity\":5,\"categoryIds\":[\"" + unknown + "\"]"), 400, "categoryIds[0]");
		bad("POST", agents, admin, agentJson("\"capacity\":5,\"categoryIds\":" + uuids(101)), 400, "categoryIds");
		bad("POST", agents, admin, "{\"name\":\"N" + NUL + "\",\"email\":\"n@example.com\",\"capacity\":1}", 400, "name");
		bad("POST", agents, admin, "{\"name\":\"N\",\"email\":\"not an email\",\"capacity\":1}", 400, "email");
		bad("POST", agents, admin, "{\"name\":\"N\",\"email\":\"ann@example.com\",\"capacity\":1}", 409, null);
		bad("GET", agents + "?page=2147483647", admin, null, 400, "page");
		bad("GET", agents + "?size=0", admin, null, 400, "size");
		bad("GET", agents + "/nope", admin, null, 400, "id");
		bad("GET", agents + "/" + unknown, admin, null, 404, null);
		bad("GET", agents + "/" + otherAgent, admin, null, 404, null);
		bad("PATCH", agents + "/" + agentId, admin, "{\"capacity\":-1}", 400, "capacity");
		bad("PATCH", agents + "/" + agentId, admin, "{\"availability\":2}", 400, "availability");
		bad("PATCH", agents + "/" + agentId, admin, "{\"categoryIds\":[\"" + otherCategory + "\"]}", 400, "categoryIds[0]");
		bad("PATCH", agents + "/" + unknown, admin, "{\"capacity\":1}", 404, null);
		bad("PATCH", agents + "/" + otherAgent, admin, "{\"capacity\":1}", 404, null);
		bad("PATCH", agents + "/" + agentId, admin, "{\"capacity\":1,\"capacity\":2}", 400, "capacity");

		// categories and tags
		bad("POST", "/api/v1/categories", admin, "{}", 400, null);
		bad("POST", "/api/v1/categories", admin, "{\"name\":\"\",\"routing\":{\"strategy\":\"MANUAL\"}}", 400, "name");
		bad("POST", "/api/v1/categories", admin, "{\"name\":\"" + "n".repeat(201) + "\",\"routing\":{\"strategy\":\"MANUAL\"}}", 400, "name");
		bad("POST", "/api/v1/categories", admin, "{\"name\":\"X\"}", 400, "routing");
		bad("POST", "/api/v1/categories", admin, "{\"name\":\"X\",\"routing\":{\"strategy\":\"RANDOM\"}}", 400, "routing.strategy");
		bad("POST", "/api/v1/categories", admin, "{\"name\":\"X\",\"routing\":{\"strategy\":0}}", 400, "routing.strategy");
		bad("POST", "/api/v1/categories", admin, "{\"name\":\"X" + NUL + "\",\"routing\":{\"strategy\":\"MANUAL\"}}", 400, "name");
		bad("POST", "/api/v1/categories", admin, "{\"name\":\"billing\",\"routing\":{\"strategy\":\"MANUAL\"}}", 409, null);
		bad("GET", "/api/v1/categories?page=2147483647", admin, null, 400, "page");
		bad("GET", "/api/v1/categories?size=101", admin, null, 400, "size");
		bad("GET", "/api/v1/categories/nope", admin, null, 400, "id");
		bad("GET", "/api/v1/categories/" + otherCategory, admin, null, 404, null);
		bad("POST", "/api/v1/tags", admin, "{}", 400, "name");
		bad("POST", "/api/v1/tags", admin, "{\"name\":\"" + "t".repeat(101) + "\"}", 400, "name");
		bad("POST", "/api/v1/tags", admin, "{\"name\":\"t" + NUL + "\"}", 400, "name");
		bad("POST", "/api/v1/tags", admin, "{\"name\":\"\\ud800t\"}", 400, "name");
		bad("POST", "/api/v1/tags", admin, "{\"name\":\"VIP\"}", 409, null);
		bad("GET", "/api/v1/tags?page=-1", admin, null, 400, "page");
		bad("GET", "/api/v1/tags?page=2147483647", admin, null, 400, "page");

		// SLA and escalation policies
		var policy = "/api/v1/sla-policies/HIGH";
		bad("GET", "/api/v1/sla-policies/NOPE", admin, null, 400, "priority");
		bad("GET", "/api/v1/sla-policies/3", admin, null, 400, "priority");
		bad("PUT", policy, admin, "{}", 400, null);
		bad("PUT", policy, admin, slaJson("\"PT0S\"", "\"PT8H\""), 400, "firstResponse");
		bad("PUT", policy, admin, slaJson("\"P400D\"", "\"PT8H\""), 400, "firstResponse");
		bad("PUT", policy, admin, slaJson("\"PT0.5S\"", "\"PT8H\""), 400, "firstResponse");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"P99999999999999999D\""), 400, "resolution");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT9999999999999999H\""), 400, "resolution");
		bad("PUT", policy, admin, slaJson("\"soon\"", "\"PT8H\""), 400, "firstResponse");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", "\"warningPercent\":0"), 400, "warningPercent");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", "\"warningPercent\":100"), 400, "warningPercent");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", hours("\"Mars/Base\"", "\"MONDAY\":[{\"from\":\"09:00\",\"to\":\"17:00\"}]")), 400, "businessHours.timeZone");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", hours("\"UTC\"", "\"FUNDAY\":[]")), 400, null);
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", hours("\"UTC\"", "\"MONDAY\":[{\"from\":\"25:00\",\"to\":\"26:00\"}]")), 400, "businessHours.weekly.MONDAY[0].from");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", hours("\"UTC\"", "\"MONDAY\":[{\"from\":\"17:00\",\"to\":\"09:00\"}]")), 400, "businessHours.weekly.MONDAY[0].to");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", hours("\"UTC\"", "\"MONDAY\":[{\"from\":\"09:00\",\"to\":\"12:00\"},{\"from\":\"11:00\",\"to\":\"13:00\"}]")), 400, "businessHours.weekly.MONDAY");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", hours("\"UTC\"", "\"MONDAY\":[]")), 400, "businessHours.weekly");
		bad("PUT", policy, admin, slaJson("\"PT1H\"", "\"PT8H\"", hours("\"UTC" + NUL + "\"", "\"MONDAY\":[]")), 400, "businessHours.timeZone");
		bad("PUT", policy, agent, slaJson("\"PT1H\"", "\"PT8H\""), 403, null);
		var escalation = "/api/v1/escalation-policy";
		bad("PUT", escalation, admin, "{}", 400, "levels");
		bad("PUT", escalation, admin, "{\"levels\":" + "[" + "{\"after\":\"PT1H\",\"action\":\"NOTIFY_SUPERVISOR\"},".repeat(10) + "{\"after\":\"PT1H\",\"action\":\"NOTIFY_SUPERVISOR\"}]}", 400, "levels");
		bad("PUT", escalation, admin, levels("\"-PT1M\"", "\"NOTIFY_SUPERVISOR\""), 400, "levels[0].after");
		bad("PUT", escalation, admin, levels("\"P31D\"", "\"NOTIFY_SUPERVISOR\""), 400, "levels[0].after");
		bad("PUT", escalation, admin, levels("\"PT99999999999999999H\"", "\"NOTIFY_SUPERVISOR\""), 400, "levels[0].after");
		bad("PUT", escalation, admin, levels("\"PT1H\"", "\"EXPLODE\""), 400, "levels[0].action");
		bad("PUT", escalation, admin, levels("\"PT1H\"", "1"), 400, "levels[0].action");
		bad("PUT", escalation, admin, "{\"levels\":[{\"after\":\"PT1H\",\"action\":\"NOTIFY_SUPERVISOR\",\"supervisorAgentIds\":[\"" + otherAgent + "\"]}]}", 400, "levels[0].supervisorAgentIds[0]");
		bad("PUT", escalation, admin, "{\"levels\":[{\"after\":\"PT2H\",\"action\":\"REASSIGN\"},{\"after\":\"PT1H\",\"action\":\"REASSIGN\"}]}", 400, "levels[1].after");
		bad("PUT", escalation, agent, levels("\"PT1H\"", "\"REASSIGN\""), 403, null);

		// settings
		var settings = "/api/v1/settings";
		var secret = "\"webhookSecret\":\"0123456789abcdef\"";
		bad("PUT", settings, admin, "{\"webhookUrl\":\"ftp://example.com/x\"," + secret + "}", 400, "webhookUrl");
		bad("PUT", settings, admin, "{\"webhookUrl\":\"not a url\"," + secret + "}", 400, "webhookUrl");
		bad("PUT", settings, admin, "{\"webhookUrl\":\"https://example.com/" + NUL + "\"," + secret + "}", 400, "webhookUrl");
		bad("PUT", settings, admin, "{\"webhookUrl\":\"https://example.com/\",\"webhookSecret\":\"short\"}", 400, "webhookSecret");
		bad("PUT", settings, admin, "{\"enrichmentUrl\":\"https://example.com/\",\"webhookSecret\":\"not-a-whsec-secret\"}", 400, "webhookSecret");
		bad("PUT", settings, admin, "{\"surveyDelay\":\"-PT1S\"}", 400, "surveyDelay");
		bad("PUT", settings, admin, "{\"surveyDelay\":\"P31D\"}", 400, "surveyDelay");
		bad("PUT", settings, admin, "{\"surveyDelay\":\"P99999999999999D\"}", 400, "surveyDelay");
		bad("PUT", settings, admin, "{\"surveyDelay\":\"tomorrow\"}", 400, "surveyDelay");
		bad("PUT", settings, admin, "{\"returnTicketsOfOfflineAgents\":\"yes\"}", 400, "returnTicketsOfOfflineAgents");
		bad("PUT", settings, admin, "{\"returnTicketsOfOfflineAgents\":1}", 400, "returnTicketsOfOfflineAgents");
		bad("PUT", settings, agent, "{}", 403, null);

		// notifications and preferences (an agent's)
		bad("GET", "/api/v1/notifications?page=2147483647", agent, null, 400, "page");
		bad("GET", "/api/v1/notifications?size=201", agent, null, 400, "size");
		bad("GET", "/api/v1/notifications", admin, null, 403, null);
		bad("POST", "/api/v1/notifications/nope/read", agent, null, 400, "id");
		bad("POST", "/api/v1/notifications/" + unknown + "/read", agent, null, 404, null);
		var preferences = "/api/v1/notification-preferences";
		bad("PUT", preferences, agent, "{}", 400, "types");
		bad("PUT", preferences, agent, "{\"types\":{\"NOPE\":{\"channels\":[\"EMAIL\"],\"delivery\":\"IMMEDIATE\"}}}", 400, "types.NOPE");
		bad("PUT", preferences, agent, "{\"types\":{\"DIGEST\":{\"channels\":[\"EMAIL\"],\"delivery\":\"IMMEDIATE\"}}}", 400, "types.DIGEST");
		bad("PUT", preferences, agent, "{\"types\":{\"TICKET_ASSIGNED\":{\"channels\":[\"EMAIL\",\"EMAIL\",\"EMAIL\",\"EMAIL\"],\"delivery\":\"IMMEDIATE\"}}}", 400, null);
		bad("PUT", preferences, agent, "{\"types\":{\"TICKET_ASSIGNED\":{\"channels\":[\"SMOKE\"],\"delivery\":\"IMMEDIATE\"}}}", 400, null);
		bad("PUT", preferences, agent, "{\"types\":{\"TICKET_ASSIGNED\":{\"channels\":[\"EMAIL\"],\"delivery\":\"SOMETIMES\"}}}", 400, null);
		bad("PUT", preferences, agent, "{\"types\":{\"TICKET_ASSIGNED\":{\"channels\":[\"EMAIL\"],\"delivery\":1}}}", 400, null);
		bad("PUT", preferences, agent, "{\"types\":{\"TICKET" + NUL + "\":{\"channels\":[\"EMAIL\"],\"delivery\":\"DIGEST\"}}}", 400, "types");
		bad("PUT", preferences, admin, "{\"types\":{}}", 403, null);

		// surveys: public pages and statistics
		bad("GET", "/public/v1/surveys/unknown-token", null, null, 404, null);
		bad("POST", "/public/v1/surveys/unknown-token/response", null, "{\"rating\":5}", 404, null);
		bad("POST", "/public/v1/surveys/unknown-token/response", null, "{\"rating\":6}", 400, "rating");
		bad("POST", "/public/v1/surveys/unknown-token/response", null, "{\"rating\":\"5\"}", 400, "rating");
		bad("POST", "/public/v1/surveys/unknown-token/response", null, "{\"rating\":5,\"comment\":\"" + "c".repeat(2001) + "\"}", 400, "comment");
		bad("POST", "/public/v1/surveys/unknown-token/response", null, "{\"rating\":5,\"comment\":\"" + NUL + "\"}", 400, "comment");
		bad("POST", "/public/v1/surveys/%00/response", null, "{\"rating\":5}", 400, null);
		bad("GET", "/api/v1/surveys/stats?from=xyz", admin, null, 400, "from");
		bad("GET", "/api/v1/surveys/stats?from=%2B1000000-01-01T00:00:00Z", admin, null, 400, "from");
		bad("GET", "/api/v1/surveys/stats?to=-999999999-01-01T00:00:00Z", admin, null, 400, "to");
		bad("GET", "/api/v1/surveys/stats?from=0001-01-01", admin, null, 400, "from");
		bad("GET", "/api/v1/surveys/stats?from=2024-13-45", admin, null, 400, "from");
		bad("GET", "/api/v1/surveys/stats?from=2025-02-01&to=2025-01-01", admin, null, 400, "from");
		bad("GET", "/api/v1/surveys/stats?from=%00", admin, null, 400, "from");

		// operations: merchants, rate limits, dead letters, event publications, SLA monitor
		bad("POST", "/ops/v1/merchants", ops, "{}", 400, "name");
		bad("POST", "/ops/v1/merchants", ops, "{\"name\":\"\"}", 400, "name");
		bad("POST", "/ops/v1/merchants", ops, "{\"name\":\"" + "m".repeat(201) + "\"}", 400, "name");
		bad("POST", "/ops/v1/merchants", ops, "{\"name\":\"M" + NUL + "\"}", 400, "name");
		bad("POST", "/ops/v1/merchants", ops, "{\"name\":\"\\udfff\"}", 400, "name");
		bad("POST", "/ops/v1/merchants", ops, "{\"name\":5}", 400, "name");
		bad("POST", "/ops/v1/merchants", ops, "{\"name\":\"M\"} {}", 400, "body");
		bad("POST", "/ops/v1/merchants", admin, "{\"name\":\"M\"}", 401, null);
		bad("POST", "/ops/v1/merchants", "wrong-ops-token", "{\"name\":\"M\"}", 401, null);
		var rateLimit = "/ops/v1/merchants/" + merchant.id() + "/rate-limit";
		bad("PUT", rateLimit, ops, "{\"requests\":0,\"period\":\"PT1M\"}", 400, "requests");
		bad("PUT", rateLimit, ops, "{\"requests\":10,\"period\":\"PT0S\"}", 400, "period");
		bad("PUT", rateLimit, ops, "{\"requests\":10,\"period\":\"PT99999999999999H\"}", 400, "period");
		bad("PUT", rateLimit, ops, "{\"requests\":\"10\",\"period\":\"PT1M\"}", 400, "requests");
		bad("PUT", "/ops/v1/merchants/" + unknown + "/rate-limit", ops, "{\"requests\":10,\"period\":\"PT1M\"}", 404, null);
		bad("PUT", "/ops/v1/merchants/x/rate-limit", ops, "{\"requests\":10,\"period\":\"PT1M\"}", 400, "id");
		bad("GET", "/ops/v1/dead-letters?page=2147483647", ops, null, 400, "page");
		bad("GET", "/ops/v1/dead-letters?size=501", ops, null, 400, "size");
		bad("GET", "/ops/v1/dead-letters?queue=nope", ops, null, 400, "queue");
		bad("GET", "/ops/v1/dead-letters?queue=%00", ops, null, 400, "queue");
		bad("POST", "/ops/v1/dead-letters/nope/requeue", ops, null, 400, "id");
		bad("POST", "/ops/v1/dead-letters/" + unknown + "/requeue", ops, null, 404, null);
		bad("DELETE", "/ops/v1/dead-letters/" + unknown, ops, null, 404, null);
		var publications = "/ops/v1/event-publications";
		bad("GET", publications + "?state=complete", ops, null, 400, "state");
		bad("GET", publications + "?page=2147483647", ops, null, 400, "page");
		bad("GET", publications + "?size=0", ops, null, 400, "size");
		bad("POST", publications + "/resubmit", ops, "{}", 400, "olderThan");
		bad("POST", publications + "/resubmit", ops, "{\"olderThan\":\"-PT1M\"}", 400, "olderThan");
		bad("POST", publications + "/resubmit", ops, "{\"olderThan\":\"PT99999999999999H\"}", 400, "olderThan");
		bad("POST", publications + "/resubmit", ops, "{\"olderThan\":\"P3651D\"}", 400, "olderThan");
		bad("POST", publications + "/purge", ops, "{\"olderThan\":\"PT9223372036854775807S\"}", 400, "olderThan");
		bad("POST", publications + "/purge", ops, "{\"olderThan\":\"later\"}", 400, "olderThan");
		add("POST", "/ops/v1/sla-monitor/run", ops, "--b\r\n\r\nx\r\n--b--\r\n", Map.of("Content-Type", "multipart/form-data; boundary=b"), 415, null);
		bad("POST", "/ops/v1/sla-monitor/run", "wrong-ops-token", null, 401, null);
		bad("GET", "/actuator/metrics", "wrong-ops-token", null, 401, null);

		// what no controller answers
		bad("GET", "/api/v1/nothing-here", admin, null, 404, null);
		bad("GET", "/nothing-here", null, null, 404, null);
		bad("PATCH", tickets, admin, "{}", 405, null);
		add("GET", "/api/v1/nothing-here", admin, null, Map.of("Accept", "text/html"), 404, null);
		add("DELETE", t, admin, null, Map.of("Accept", "text/html"), 405, null);
		add("GET", tickets, "hd_wrong", null, Map.of("Accept", "text/html"), 401, null);
		add("GET", tickets + "?page=-1", admin, null, Map.of("Accept", "application/xml"), 400, "page");
		add("GET", tickets + "/" + unknown, admin, null, Map.of("Accept", "image/png"), 404, null);
		bad("GET", "/api/v1/tickets/" + ticket + "/..;/..;/x", admin, null, 400, null);

		assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
		var before = awaitQuietTables();
		var failures = new ArrayList<String>();
		for (var c : cases) {
			check(c, send(c), failures);
		}
		var port = api.port();
		var rawCases = new LinkedHashMap<String, RawHttp.Answer>();
		rawCases.put("request line with a raw space in the target",
				RawHttp.send("127.0.0.1", port, "GET /api/v1/tickets?x=a b HTTP/1.1\r\nHost: localhost", null));
		rawCases.put("request target with characters HTTP forbids",
				RawHttp.send("127.0.0.1", port, "GET /api/v1/tickets?x=<\"{|}> HTTP/1.1\r\nHost: localhost", null));
		rawCases.put("a header of 20 KB",
				RawHttp.send("127.0.0.1", port, "GET /api/v1/tickets HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000), null));
		rawCases.put("chunked body of 1.5 MB to an endpoint that takes none",
				RawHttp.send("127.0.0.1", port, "POST /ops/v1/sla-monitor/run HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ops
						+ "\r\nContent-Type: application/json\r\nContent-Length: 1500000", new byte[1_500_000]));
		rawCases.put("Content-Length that is not a number",
				RawHttp.send("127.0.0.1", port, "POST /api/v1/tickets HTTP/1.1\r\nHost: localhost\r\nContent-Length: lots", null));
		rawCases.forEach((name, answer) -> {
			var type = answer.header("Content-Type");
			if (answer.status() < 400 || answer.status() >= 500 || type == null
					|| !type.startsWith("application/problem+json") || !answer.body().contains("\"status\":" + answer.status())) {
				failures.add(name + " -> " + answer.status() + " " + type + " " + answer.body());
			}
		});
		assertThat(failures).as("requests answered otherwise than expected").isEmpty();
		assertThat(awaitQuietTables()).as("rows of every table after the corpus").isEqualTo(before);
	}

	private void check(Case c, Answer answer, List<String> failures) {
		var problem = answer.body();
		var type = answer.contentType();
		if (answer.status() != c.status() || type == null || !type.startsWith("application/problem+json")
				|| problem == null || problem.path("status").asInt() != c.status()) {
			failures.add(c + " -> " + answer.status() + " " + type + " " + answer.text());
			return;
		}
		if (c.field() != null && !problem.path("errors").isArray()) {
			failures.add(c + " -> 400 without errors[]: " + answer.text());
			return;
		}
		if (c.field() != null) {
			var fields = new ArrayList<String>();
			problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
			if (!fields.contains(c.field())) {
				failures.add(c + " -> fields " + fields + ", expected " + c.field() + ": " + answer.text());
			}
		}
	}

	record Answer(int status, String contentType, JsonNode body, String text) {
	}

	private Answer send(Case c) {
		var builder = HttpRequest.newBuilder(URI.create(api.baseUrl() + c.path())).timeout(Duration.ofSeconds(30));
		var headers = new LinkedHashMap<String, String>();
		headers.put("Accept", "application/json, application/problem+json");
		if (c.body() != null) {
			headers.put("Content-Type", JSON_TYPE);
		}
		headers.putAll(c.headers());
		headers.forEach(builder::header);
		if (c.key() != null) {
			builder.header("Authorization", "Bearer " + c.key());
		}
		builder.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofString(c.body()));
		try {
			var response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode body = null;
			try {
				body = JSON.readTree(response.body());
			}
			catch (IOException e) {
				// not JSON: reported as a failure by the caller
			}
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), body,
					response.body().length() > 300 ? response.body().substring(0, 300) : response.body());
		}
		catch (IOException e) {
			return new Answer(-1, null, null, e.toString());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	/** Row count and a hash of the content of every table, once two readings a second apart agree. */
	private Map<String, List<Long>> awaitQuietTables() {
		var last = new AtomicReference<Map<String, List<Long>>>(tableRows());
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			var now = tableRows();
			return now.equals(last.getAndSet(now));
		});
		return last.get();
	}

	private Map<String, List<Long>> tableRows() {
		var tables = jdbc.sql("""
				SELECT table_name FROM information_schema.tables
				WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name""")
			.query(String.class)
			.list();
		var rows = new LinkedHashMap<String, List<Long>>();
		// the registry of running processes is no request's: the row of a process that ended (another test context of
		// this JVM, a child process of an earlier test) goes whenever its end is noticed
		tables.remove("process_instance");
		for (var table : tables) {
			// an API key's last_used_at records that the key authenticated a request, refused or not: not a write of it
			rows.put(table, jdbc.sql("SELECT count(*), coalesce(sum(hashtext((to_jsonb(t) - 'last_used_at')::text)::bigint), 0) FROM \"" + table + "\" t")
				.query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2)))
				.single());
		}
		return rows;
	}

	private void bad(String method, String path, String key, String body, int status, String field) {
		add(method, path, key, body, Map.of(), status, field);
	}

	private void add(String method, String path, String key, String body, Map<String, String> headers, int status,
			String field) {
		cases.add(new Case(method, path, key, body, headers, status, field));
	}

	private static String uuids(int n) {
		var ids = new ArrayList<String>();
		for (int i = 0; i < n; i++) {
			ids.add("\"" + UUID.randomUUID() + "\"");
		}
		return "[" + String.join(",", ids) + "]";
	}

	private static String agentJson(String more) {
		return "{\"name\":\"New\",\"email\":\"new-" + UUID.randomUUID() + "@example.com\"," + more + "}";
	}

	private static String slaJson(String firstResponse, String resolution) {
		return "{\"firstResponse\":" + firstResponse + ",\"resolution\":" + resolution + "}";
	}

	private static String slaJson(String firstResponse, String resolution, String more) {
		return "{\"firstResponse\":" + firstResponse + ",\"resolution\":" + resolution + "," + more + "}";
	}

	private static String hours(String zone, String weekly) {
		return "\"businessHours\":{\"timeZone\":" + zone + ",\"weekly\":{" + weekly + "}}";
	}

	private static String levels(String after, String action) {
		return "{\"levels\":[{\"after\":" + after + ",\"action\":" + action + "}]}";
	}
}
