package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestMail;
import com.acme.helpdesk.support.WorkingHelpdeskTest;

import com.sun.net.httpserver.HttpServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * What an on-call engineer reads, against the whole running service (job servers, listeners, GreenMail): one trace
 * from an HTTP request through an event listener (the outbox) and a queued job to the mail it sends, caught by an
 * in-memory span exporter and sent over OTLP to a local collector; JSON log lines carrying that trace's id, also JobRunr's own lines of the job; and every
 * series the alert examples of docs/operations.md use, found in a real scrape of {@code /actuator/prometheus}.
 */
@WorkingHelpdeskTest
@AutoConfigureObservability
@TestPropertySource(properties = { "management.tracing.sampling.probability=1.0",
		"management.tracing.opentelemetry.export.schedule-delay=100ms", "logging.structured.format.console=ecs",
		"logging.level.org.jobrunr.server.BackgroundJobPerformer=debug" })
@Import(ObservabilityTests.Spans.class)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class ObservabilityTests {

	static {
		// Logging is set up once per JVM by the first context that starts; let this one set up its JSON lines, and
		// closing it (@DirtiesContext) lets the next context set up plain lines again.
		LoggingSystem.get(ObservabilityTests.class.getClassLoader()).cleanUp();
	}

	/** Plain lines again for the tests after this one, also those that start no application (their own runners). */
	@AfterAll
	static void plainLogLinesAgain() {
		var logging = LoggingSystem.get(ObservabilityTests.class.getClassLoader());
		logging.cleanUp();
		// Boot copied the format into this system property when it set up the JSON lines
		System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
		logging.beforeInitialize();
		logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
	}

	static final Duration WAIT = Duration.ofSeconds(30);
	static final ObjectMapper JSON = new ObjectMapper();

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	InMemorySpans spans;

	Scenarios given;

	/** An OTLP collector: what the service's exporter posts to {@code management.otlp.tracing.endpoint}. */
	static final Collector COLLECTOR = Collector.start();

	@DynamicPropertySource
	static void collector(DynamicPropertyRegistry registry) {
		registry.add("management.otlp.tracing.endpoint", () -> COLLECTOR.endpoint());
	}

	@BeforeEach
	void setUp() {
		given = new Scenarios(api, jdbc);
	}

	@Test
	void oneTraceGoesFromTheRequestThroughTheListenerAndTheJobToTheMail(CapturedOutput output) {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var agent = given.agent(merchant, agents);
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, agent);
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 1);

		// the client's own trace: the reply's request carries it in
		var traceId = java.util.UUID.randomUUID().toString().replace("-", "");
		var clientSpanId = "00f067aa0ba902b7";
		var reply = api.post("/api/v1/tickets/" + ticket.id() + "/messages", merchant.adminKey(),
				Map.of("body", "It still burns", "authorType", "CUSTOMER", "internal", false),
				Map.of("traceparent", "00-" + traceId + "-" + clientSpanId + "-01"));
		assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 2);

		var mail = await("the mail's span, in the request's trace").atMost(WAIT)
			.until(() -> spans.named(traceId, "deliver email"), found -> found.size() == 1)
			.get(0);
		var job = spans.byId(traceId, mail.getParentSpanId());
		var listener = spans.byId(traceId, job.getParentSpanId());
		var request = spans.byId(traceId, listener.getParentSpanId());

		assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
		assertThat(request.getName()).isEqualTo("http post /api/v1/tickets/{id}/messages");
		assertThat(request.getParentSpanId()).as("the client's span").isEqualTo(clientSpanId);
		assertThat(listener.getName()).isEqualTo("listener notifications.notify-reply");
		assertThat(job.getName()).startsWith("job notification");
		assertThat(job.getKind()).as("run from the row the listener wrote").isEqualTo(SpanKind.CONSUMER);
		assertThat(job.getAttributes().asMap().toString()).contains("queue=helpdesk.notification");
		assertThat(job.getEndEpochNanos()).isGreaterThanOrEqualTo(mail.getEndEpochNanos());
		assertThat(List.of(request, listener, job, mail)).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(traceId));

		// and the same spans went out over OTLP (protobuf: the trace id as its 16 bytes)
		await("the trace at the OTLP collector").atMost(WAIT).until(() -> COLLECTOR.received(HexFormat.of().parseHex(traceId)));

		// JobRunr restored the job's logging context (stored with the job): its own line of the run has the trace id
		await("JobRunr's line of the job's run, with the trace id").atMost(WAIT)
			.untilAsserted(() -> assertThat(jsonLines(output)).anySatisfy(line -> {
				assertThat(line.path("message").asText()).contains("processing succeeded");
				assertThat(line.path("traceId").asText()).isEqualTo(traceId);
				assertThat(line.path("jobrunr").path("jobName").asText()).startsWith("notification");
			}));
	}

	@Test
	void everySeriesTheOperationsGuideNamesIsInARealScrape() throws IOException {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var agent = given.agent(merchant, agents);
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, agent);
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 1);
		given.awaitJobs(ticket.id());
		assertThat(api.get("/api/v1/tickets/" + java.util.UUID.randomUUID(), merchant.adminKey()).status()).isEqualTo(404);

		var guide = Files.readString(Path.of("docs/operations.md"));
		var alerts = Alerts.of(guide);
		assertThat(alerts.expressions()).as("alert examples in docs/operations.md").hasSizeGreaterThan(10);
		assertThat(alerts.seriesNamed()).as("series named in its metrics section").hasSizeGreaterThan(10);

		var scrape = Scrape.of(api.getText("/actuator/prometheus"));
		for (var expression : alerts.expressions()) {
			var query = PromQl.of(expression);
			assertThat(query.metrics()).as(expression).isNotEmpty();
			for (var metric : query.metrics()) {
				assertThat(scrape.samples(metric)).as("%s (in: %s)", metric, expression).isNotEmpty();
			}
			for (var label : query.labels()) {
				if (PromQl.TARGET_LABELS.contains(label)) {
					continue;
				}
				assertThat(query.metrics().stream().anyMatch(metric -> scrape.labelNames(metric).contains(label)))
					.as("label %s on %s (in: %s)", label, query.metrics(), expression)
					.isTrue();
			}
		}
		for (var series : alerts.seriesNamed()) {
			assertThat(scrape.names()).as(series)
				.anyMatch(name -> name.equals(series) || name.matches(Pattern.quote(series) + "_(bucket|count|sum|max|total)"));
		}
		// histograms with SLO buckets: p99 from a real histogram, per queue
		assertThat(scrape.labelNames("helpdesk_jobs_wait_seconds_bucket")).contains("queue", "le");
		assertThat(scrape.labelNames("helpdesk_jobs_run_seconds_bucket")).contains("queue", "le");
		assertThat(scrape.samples("http_server_requests_seconds_bucket")).anyMatch(labels -> "0.1".equals(labels.get("le")));
		assertThat(scrape.samples("helpdesk_notifications_delivery_seconds_count"))
			.anyMatch(labels -> "email".equals(labels.get("channel")) && "sent".equals(labels.get("outcome")));
		assertThat(scrape.samples("helpdesk_jobs_waiting")).extracting(labels -> labels.get("queue"))
			.contains("helpdesk.notification", "helpdesk.assignment");
	}

	private static List<JsonNode> jsonLines(CapturedOutput output) {
		var lines = new ArrayList<JsonNode>();
		for (var line : output.getOut().split("\n")) {
			if (line.startsWith("{")) {
				try {
					lines.add(JSON.readTree(line));
				}
				catch (IOException e) {
					// a line of another writer
				}
			}
		}
		return lines;
	}

	/** The alert examples ({@code promql} blocks) and the series named in the metrics section of the guide. */
	record Alerts(List<String> expressions, Set<String> seriesNamed) {

		static Alerts of(String guide) {
			var section = guide.substring(guide.indexOf("## Metrics"));
			section = section.substring(0, section.indexOf("\n## ", 1) < 0 ? section.length() : section.indexOf("\n## ", 1));
			var expressions = new ArrayList<String>();
			var blocks = Pattern.compile("```promql\\n(.*?)```", Pattern.DOTALL).matcher(section);
			while (blocks.find()) {
				blocks.group(1).lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
					.forEach(expressions::add);
			}
			var named = new LinkedHashSet<String>();
			var code = Pattern.compile("`((?:helpdesk|http|hikaricp|jvm|process)_[a-z0-9_]+)`").matcher(section);
			while (code.find()) {
				named.add(code.group(1));
			}
			return new Alerts(expressions, named);
		}
	}

	/** The metric and label names a PromQL expression uses. */
	record PromQl(Set<String> metrics, Set<String> labels) {

		/** Labels Prometheus adds to every series it scrapes (a series' own {@code job} label would be renamed). */
		static final Set<String> TARGET_LABELS = Set.of("instance", "job");

		static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
				"and", "or", "unless", "offset", "bool");

		static PromQl of(String expression) {
			var text = expression.replaceAll("\"[^\"]*\"", "\"\"");
			var labels = new HashSet<String>();
			var matchers = Pattern.compile("\\{([^}]*)}").matcher(text);
			while (matchers.find()) {
				for (var matcher : matchers.group(1).split(",")) {
					if (!matcher.isBlank()) {
						labels.add(matcher.split("[=!]")[0].strip());
					}
				}
			}
			var groupings = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\(([^)]*)\\)").matcher(text);
			while (groupings.find()) {
				for (var label : groupings.group(2).split(",")) {
					labels.add(label.strip());
				}
			}
			text = groupings.replaceAll(" ").replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
			var metrics = new LinkedHashSet<String>();
			var names = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()").matcher(text);
			while (names.find()) {
				if (!KEYWORDS.contains(names.group(1))) {
					metrics.add(names.group(1));
				}
			}
			return new PromQl(metrics, labels);
		}
	}

	/** A Prometheus text exposition: the labels of every sample, by series name. */
	record Scrape(Map<String, List<Map<String, String>>> series) {

		static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

		static Scrape of(String text) {
			var series = new HashMap<String, List<Map<String, String>>>();
			for (var line : text.split("\n")) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				var brace = line.indexOf('{');
				var space = line.indexOf(' ');
				var name = line.substring(0, brace >= 0 && brace < space ? brace : space);
				var labels = new HashMap<String, String>();
				if (brace >= 0 && brace < space) {
					var matcher = LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
					while (matcher.find()) {
						labels.put(matcher.group(1), matcher.group(2));
					}
				}
				series.computeIfAbsent(name, n -> new ArrayList<>()).add(labels);
			}
			return new Scrape(series);
		}

		Set<String> names() {
			return series.keySet();
		}

		List<Map<String, String>> samples(String name) {
			return series.getOrDefault(name, List.of());
		}

		Set<String> labelNames(String name) {
			var names = new HashSet<String>();
			samples(name).forEach(labels -> names.addAll(labels.keySet()));
			return names;
		}
	}

	/** Takes OTLP/HTTP posts and keeps their bodies. */
	record Collector(HttpServer server, List<byte[]> bodies) {

		static Collector start() {
			try {
				var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
				var collector = new Collector(server, new CopyOnWriteArrayList<>());
				server.createContext("/v1/traces", exchange -> {
					collector.bodies().add(exchange.getRequestBody().readAllBytes());
					exchange.sendResponseHeaders(200, -1);
					exchange.close();
				});
				server.start();
				return collector;
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		}

		String endpoint() {
			return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
		}

		boolean received(byte[] bytes) {
			return bodies.stream().anyMatch(body -> indexOf(body, bytes) >= 0);
		}

		private static int indexOf(byte[] body, byte[] part) {
			outer: for (int i = 0; i <= body.length - part.length; i++) {
				for (int j = 0; j < part.length; j++) {
					if (body[i + j] != part[j]) {
						continue outer;
					}
				}
				return i;
			}
			return -1;
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Spans {

		@Bean
		InMemorySpans inMemorySpans() {
			return new InMemorySpans();
		}
	}

	/** A span exporter keeping what it is given. */
	static final class InMemorySpans implements SpanExporter {

		private final List<SpanData> exported = new CopyOnWriteArrayList<>();

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			exported.addAll(spans);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

		List<SpanData> named(String traceId, String name) {
			return exported.stream().filter(span -> span.getTraceId().equals(traceId) && span.getName().equals(name)).toList();
		}

		SpanData byId(String traceId, String spanId) {
			return await().atMost(WAIT)
				.until(() -> exported.stream()
					.filter(span -> span.getTraceId().equals(traceId) && span.getSpanId().equals(spanId))
					.findFirst(), java.util.Optional::isPresent)
				.orElseThrow();
		}
	}
}
