package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import com.acme.helpdesk.support.ExternalService;
import com.acme.helpdesk.support.HeadlessChromium;
import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.WorkingHelpdeskTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console's Analytics view in a real browser (Debian's headless Chromium, as {@link ConsoleTests}): a merchant's
 * history made through the API and counted by the analytics jobs is drawn as the API answers it, and the view follows
 * the merchant topic. Saves {@code target/analytics-console.png}.
 */
@WorkingHelpdeskTest
@TestPropertySource(properties = "helpdesk.jobs.serve=sla-monitor,escalation,assignment,notification,context-enrichment,survey-trigger,analytics-update")
class AnalyticsConsoleTests {

	private static final ObjectMapper JSON = new ObjectMapper();
	// whole-hour zones at most 4 hours apart, none the machine's (UTC): the browser's zone is the one nearest its noon
	private static final List<String> ZONES = List.of("America/Los_Angeles", "America/New_York", "America/Sao_Paulo",
			"Europe/Berlin", "Asia/Dubai", "Asia/Shanghai", "Asia/Tokyo", "Pacific/Auckland");
	private static final Map<String, List<String>> CHART_METRICS = Map.of(
			"volume", List.of("ticketsCreated", "ticketsResolved"),
			"firstResponse", List.of("firstResponseSeconds.median", "firstResponseSeconds.p90"),
			"resolution", List.of("resolutionSeconds.median", "resolutionSeconds.p90"),
			"csat", List.of("csat.average", "csat.satisfiedShare"));

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void analyticsViewDrawsTheApisFiguresInTheBrowsersZoneAndFollowsTheMerchantTopic() throws Exception {
		ExternalService.require(HeadlessChromium.available(), "No Chromium at " + HeadlessChromium.binary()
				+ ": install Debian's package (`apt-get install -y chromium`) or set HELPDESK_CHROMIUM");
		// far from its midnight, so the test's "today" is the page's however long the test takes
		var zone = ZONES.stream()
			.min(Comparator.comparingLong(z -> Math.abs(Duration.between(LocalTime.NOON,
					LocalTime.now(ZoneId.of(z))).toMinutes())))
			.orElseThrow();
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var admin = merchant.adminKey();
		var domain = Scenarios.domain();
		assertThat(api.put("/api/v1/sla-policies/MEDIUM", admin, Map.of("firstResponse", "PT4H", "resolution", "P1D")).status())
			.isEqualTo(200);
		// offline: auto-assignment leaves the third ticket unassigned
		var ada = api.post("/api/v1/agents", admin, Map.of("name", "Ada Lovelace", "email", "ada@" + domain, "capacity", 10));
		assertThat(ada.status()).as(ada.toString()).isEqualTo(201);
		var agent = new Scenarios.Agent(UUID.fromString(ada.body().get("id").asText()), "ada@" + domain,
				ada.body().get("apiKey").asText());
		var answered = given.ticket(merchant, domain);
		var resolved = given.ticket(merchant, domain);
		var open = given.ticket(merchant, domain);
		var ratings = Map.of(answered, 5, resolved, 3);
		for (var ticket : List.of(answered, resolved)) {
			// the SLA clocks start after the creation commits: the reply must find them to count as met
			Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/tickets/" + ticket.id() + "/sla", admin)
				.body().path("clocks").size() == 2);
			given.assign(merchant, ticket, agent);
			given.message(admin, ticket, "CUSTOMER", false);
			given.message(agent.key(), ticket, "AGENT", false);
			given.status(merchant, ticket, "RESOLVED");
		}
		for (var ticket : List.of(answered, resolved)) {
			var token = Awaitility.await().atMost(Duration.ofSeconds(60)).until(
					() -> api.get("/api/v1/tickets/" + ticket.id() + "/survey", admin),
					survey -> survey.status() == 200).body().get("token").asText();
			assertThat(api.post("/public/v1/surveys/" + token + "/response", null, Map.of("rating", ratings.get(ticket))).status())
				.isEqualTo(201);
		}
		var today = LocalDate.now(ZoneId.of(zone));
		var encodedZone = zone.replace("/", "%2F");
		var week = "from=" + today.minusDays(6) + "&to=" + today.plusDays(1) + "&timeZone=" + zone;
		awaitCounted(admin, week, 3, 2);

		try (var browser = HeadlessChromium.start()) {
			browser.call("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
			browser.navigate(api.baseUrl() + "/console/#analytics");
			await(browser, "document.readyState === 'complete' && !!window.HelpdeskAnalytics && !!window.uPlot", 60);
			assertThat(browser.evaluate("document.getElementById('analytics-zone').value").asText()).isEqualTo(zone);
			assertThat(browser.evaluate("document.getElementById('live-view').hidden").asBoolean()).isTrue();
			browser.evaluate("document.getElementById('api-key').value = '" + admin + "';"
					+ "document.getElementById('connect').click(); true");
			await(browser, "document.getElementById('state').textContent === 'connected'", 60);
			await(browser, "document.getElementById('analytics-view').dataset.state === 'loaded'", 60);

			var query = attribute(browser, "query");
			assertThat(query).isEqualTo("groupBy=day&" + week.replace(zone, encodedZone));
			var drawn = drawn(browser);
			assertDrawnAsTheApiAnswers(drawn, query, admin);
			assertThat(sum(drawn.get("volume").get(1))).isEqualTo(3);
			assertThat(sum(drawn.get("volume").get(2))).isEqualTo(2);
			assertThat(values(drawn.get("csat").get(1))).containsExactly(4.0);
			assertThat(values(drawn.get("csat").get(2))).containsExactly(0.5);
			assertThat(values(drawn.get("sla").get(1))).containsExactly(1.0);
			assertThat(values(drawn.get("firstResponse").get(1))).hasSize(1);

			var todayIndex = drawn.get("volume").get(0).indexOf((double) today.atStartOfDay(ZoneId.of(zone)).toEpochSecond());
			assertThat(todayIndex).isNotNegative();
			browser.evaluate("HelpdeskAnalytics.charts.volume.setLegend({ idx: " + todayIndex + " }); true");
			assertThat(browser.evaluate("[...document.querySelectorAll('figure[data-chart=volume] .u-legend .u-series')]"
					+ ".map(tr => tr.querySelector('.u-label').textContent + '=' + tr.querySelector('.u-value').textContent).slice(1).join(',')")
				.asText()).isEqualTo("Created=3,Resolved=2");
			for (var chart : List.of("volume", "firstResponse", "resolution", "sla", "csat")) {
				assertThat(browser.evaluate("HelpdeskAnalytics.charts['" + chart + "'].series.length").asInt()).as(chart).isEqualTo(3);
				assertThat(browser.evaluate("document.querySelectorAll('figure[data-chart=" + chart + "] canvas').length").asInt())
					.as(chart)
					.isEqualTo(1);
			}
			// the lines are on the canvas, in their series' colours
			assertThat(pixelsOfColour(browser, "volume", 0x25, 0x63, 0xeb)).as("created, blue").isGreaterThan(20);
			assertThat(pixelsOfColour(browser, "volume", 0x16, 0xa3, 0x4a)).as("resolved, green").isGreaterThan(20);
			assertThat(pixelsOfColour(browser, "csat", 0xdb, 0x27, 0x77)).as("CSAT average, pink").isGreaterThan(5);

			var summary = api.get("/api/v1/analytics/summary?" + week, admin).body();
			assertThat(field(browser, "ticketsCreated")).isEqualTo("3");
			assertThat(field(browser, "ticketsResolved")).isEqualTo("2");
			assertThat(field(browser, "csat.average")).isEqualTo("4 (2 answers)");
			assertThat(field(browser, "csat.satisfiedShare")).isEqualTo("50 %");
			assertThat(field(browser, "sla.firstResponse.metShare")).isEqualTo("100 % (2 of 2)");
			assertThat(field(browser, "backlog")).isEqualTo(summary.path("backlog").path("open").asInt() + " open · "
					+ summary.path("backlog").path("pending").asInt() + " pending · "
					+ summary.path("backlog").path("unassigned").asInt() + " unassigned")
				.startsWith("1 open");
			await(browser, "(document.querySelector('#analytics-agents tr[data-agent-id=\"" + agent.id() + "\"] th') || {}).textContent === 'Ada Lovelace'", 60);
			assertThat(browser.evaluate("[...document.querySelectorAll('#analytics-agents tr[data-agent-id=\"" + agent.id()
					+ "\"] td')].slice(0, 2).map(td => td.textContent).join(',')").asText()).isEqualTo("2,2");

			// the merchant topic says a ticket changed: the view counts it without being asked
			var loads = Integer.parseInt(attribute(browser, "loads"));
			given.status(merchant, open, "RESOLVED");
			Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
				.until(() -> sum(drawn(browser).get("volume").get(2)) == 3);
			assertThat(Integer.parseInt(attribute(browser, "loads"))).isGreaterThan(loads);
			assertThat(field(browser, "ticketsResolved")).isEqualTo("3");

			// the last 24 hours, by local hour
			chooseRange(browser, "24h");
			await(browser, "document.getElementById('analytics-view').dataset.state === 'loaded'"
					+ " && document.getElementById('analytics-view').dataset.query.startsWith('groupBy=hour')", 60);
			var hourly = drawn(browser);
			assertDrawnAsTheApiAnswers(hourly, attribute(browser, "query"), admin);
			assertThat(hourly.get("volume").get(0)).hasSize(24);
			assertThat(sum(hourly.get("volume").get(1))).isEqualTo(3);
			assertThat(sum(hourly.get("volume").get(2))).isEqualTo(3);

			chooseRange(browser, "7d");
			await(browser, "document.getElementById('analytics-view').dataset.state === 'loaded'"
					+ " && document.getElementById('analytics-view').dataset.query.startsWith('groupBy=day')", 60);
			browser.call("Emulation.setDeviceMetricsOverride",
					Map.of("width", 1400, "height", 1500, "deviceScaleFactor", 1, "mobile", false));
			var screenshot = browser.screenshot(Path.of("target", "analytics-console.png"));
			assertThat(screenshot).exists().isNotEmptyFile();
		}
	}

	/** Waits until the analytics jobs have counted the history: the API answers its figures. */
	private void awaitCounted(String key, String range, int created, int resolved) {
		Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			var summary = api.get("/api/v1/analytics/summary?" + range, key);
			assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
			var body = summary.body();
			assertThat(body.path("ticketsCreated").asInt()).isEqualTo(created);
			assertThat(body.path("ticketsResolved").asInt()).isEqualTo(resolved);
			assertThat(body.path("firstResponseSeconds").path("count").asInt()).isEqualTo(2);
			assertThat(body.path("sla").path("firstResponse").path("met").asInt()).isEqualTo(2);
			assertThat(body.path("csat").path("answers").asInt()).isEqualTo(2);
		});
	}

	/** Each chart's uPlot data: x (epoch seconds) then one list per series. */
	private static Map<String, List<List<Double>>> drawn(HeadlessChromium browser) throws Exception {
		var json = browser.evaluate("JSON.stringify(Object.fromEntries(Object.entries(HelpdeskAnalytics.charts)"
				+ ".map(([name, u]) => [name, u.data])))").asText();
		var charts = JSON.readTree(json);
		var result = new HashMap<String, List<List<Double>>>();
		charts.fields().forEachRemaining(chart -> {
			var series = new ArrayList<List<Double>>();
			chart.getValue().forEach(values -> {
				var list = new ArrayList<Double>();
				values.forEach(v -> list.add(v.isNull() ? null : v.asDouble()));
				series.add(list);
			});
			result.put(chart.getKey(), series);
		});
		return result;
	}

	private void assertDrawnAsTheApiAnswers(Map<String, List<List<Double>>> drawn, String query, String key) {
		CHART_METRICS.forEach((chart, metrics) -> {
			for (int i = 0; i < metrics.size(); i++) {
				var points = timeseries(metrics.get(i), query, key);
				assertThat(drawn.get(chart).get(0)).as(chart + " x").isEqualTo(starts(points));
				assertThat(drawn.get(chart).get(i + 1)).as(metrics.get(i)).isEqualTo(values(points));
			}
		});
		// SLA attainment is met / (met + breached) of each point
		for (var clock : List.of("firstResponse", "resolution")) {
			var met = values(timeseries("sla." + clock + ".met", query, key));
			var breached = values(timeseries("sla." + clock + ".breached", query, key));
			var shares = drawn.get("sla").get(clock.equals("firstResponse") ? 1 : 2);
			for (int i = 0; i < met.size(); i++) {
				var total = met.get(i) + breached.get(i);
				if (total == 0) {
					assertThat(shares.get(i)).as(clock + " " + i).isNull();
				}
				else {
					assertThat(shares.get(i)).as(clock + " " + i).isCloseTo(met.get(i) / total, within(1e-9));
				}
			}
		}
	}

	private JsonNode timeseries(String metric, String query, String key) {
		var response = api.get("/api/v1/analytics/timeseries?metric=" + metric + "&" + query, key);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.body().get("points");
	}

	private static List<Double> starts(JsonNode points) {
		var starts = new ArrayList<Double>();
		points.forEach(p -> starts.add((double) OffsetDateTime.parse(p.get("start").asText()).toEpochSecond()));
		return starts;
	}

	private static List<Double> values(JsonNode points) {
		var values = new ArrayList<Double>();
		points.forEach(p -> values.add(p.get("value").isNull() ? null : p.get("value").asDouble()));
		return values;
	}

	private static List<Double> values(List<Double> series) {
		return series.stream().filter(Objects::nonNull).toList();
	}

	private static long sum(List<Double> series) {
		return Math.round(series.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).sum());
	}

	private static String attribute(HeadlessChromium browser, String name) {
		return browser.evaluate("document.getElementById('analytics-view').dataset." + name).asText();
	}

	private static String field(HeadlessChromium browser, String name) {
		return browser.evaluate("document.querySelector('#analytics-summary [data-field=\"" + name + "\"]').textContent").asText();
	}

	/** Pixels of the chart's canvas within a small distance of the colour. */
	private static int pixelsOfColour(HeadlessChromium browser, String chart, int r, int g, int b) {
		return browser.evaluate("(() => { const c = document.querySelector('figure[data-chart=" + chart + "] canvas');"
				+ "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
				+ "for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 200 && Math.abs(d[i] - " + r + ") + Math.abs(d[i + 1] - "
				+ g + ") + Math.abs(d[i + 2] - " + b + ") < 40) n++; } return n; })()").asInt();
	}

	private static void chooseRange(HeadlessChromium browser, String range) {
		browser.evaluate("(() => { const select = document.getElementById('analytics-range'); select.value = '" + range
				+ "'; select.dispatchEvent(new Event('change')); return true; })()");
	}

	private static void await(HeadlessChromium browser, String condition, int seconds) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(seconds))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> browser.evaluate("!!(" + condition + ")").asBoolean());
	}
}
