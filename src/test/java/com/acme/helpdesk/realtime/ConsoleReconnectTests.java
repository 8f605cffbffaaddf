package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.ExternalService;
import com.acme.helpdesk.support.HeadlessChromium;
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * The live console (headless Chromium, as {@link ConsoleTests}) connected to a service in a JVM of its own, which is
 * stopped and started again on the same port: the console shows the connection lost, connects again by itself,
 * catches up on what changed meanwhile and shows the new process's events, with agents by name; a key refused at
 * {@code CONNECT} stops it. Saves
 * {@code target/console-reconnect.png}.
 */
@HelpdeskTest
class ConsoleReconnectTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcConnectionDetails database;

	@Test
	void consoleConnectsAgainAfterAServerRestartAndShowsNewEventsWithAgentNames() throws Exception {
		ExternalService.require(HeadlessChromium.available(), "No Chromium at " + HeadlessChromium.binary()
				+ ": install Debian's package (`apt-get install -y chromium`) or set HELPDESK_CHROMIUM");
		var merchant = api.newMerchant();
		var key = merchant.adminKey();
		var ada = api.post("/api/v1/agents", key,
				Map.of("name", "Ada Lovelace", "email", "ada-" + UUID.randomUUID() + "@example.com", "capacity", 10));
		assertThat(ada.status()).as(ada.toString()).isEqualTo(201);
		var adaId = ada.body().get("id").asText();

		var server = start();
		try (var browser = HeadlessChromium.start()) {
			browser.navigate(server.baseUrl() + "/console");
			await(browser, "document.readyState === 'complete' && !!window.StompJs", 60);
			// a key refused at CONNECT: the console says so and stops, instead of trying again
			browser.evaluate("document.getElementById('api-key').value = 'hd_not-a-key';"
					+ "document.getElementById('connect').click(); true");
			await(browser, "document.getElementById('state').dataset.state === 'error'"
					+ " && !document.getElementById('connect').disabled", 30);
			browser.evaluate("document.getElementById('api-key').value = '" + key + "';"
					+ "document.getElementById('connect').click(); true");
			await(browser, "document.getElementById('state').textContent === 'connected'", 60);

			var before = ticket(new TestApi(server.port()), key, "Before the restart");
			assertThat(new TestApi(server.port()).post("/api/v1/tickets/" + before + "/assignment", key,
					Map.of("agentId", adaId)).status()).isEqualTo(200);
			await(browser, row(before) + " && " + row(before) + ".querySelector('.c-assignee').textContent === 'Ada Lovelace'", 30);

			server.close();
			await(browser, "document.getElementById('state').dataset.state === 'reconnecting'", 30);
			assertThat(browser.evaluate("document.getElementById('state').textContent").asText()).startsWith("disconnected");
			// changed while the console is away, through this test's own application on the same database
			var whileAway = ticket(api, key, "While the console was away");
			assertThat(api.post("/api/v1/tickets/" + whileAway + "/assignment", key, Map.of("agentId", adaId)).status())
				.isEqualTo(200);
			assertThat(browser.evaluate("!" + row(whileAway)).asBoolean()).isTrue();

			server = server.startAgain();
			await(browser, "document.getElementById('state').textContent === 'connected'", 60);
			// read again over HTTP on connecting: the ticket made meanwhile, its assignee by name
			await(browser, row(whileAway) + " && " + row(whileAway) + ".querySelector('.c-assignee').textContent === 'Ada Lovelace'", 30);

			var restarted = new TestApi(server.port());
			var after = ticket(restarted, key, "After the restart");
			// the SUBSCRIBE after CONNECTED is asynchronous on the server: push until the merchant's log shows the ticket
			Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
				if (browser.evaluate("document.getElementById('merchant-events').textContent.includes('" + after + "')").asBoolean()) {
					return true;
				}
				restarted.post("/api/v1/tickets/" + after + "/messages", key, Map.of("body", "Still there?", "authorType", "AGENT"));
				return false;
			});
			assertThat(restarted.post("/api/v1/tickets/" + after + "/assignment", key, Map.of("agentId", adaId)).status())
				.isEqualTo(200);
			// a live frame: ticket.assigned names the agent by id, the console shows her name
			await(browser, row(after) + " && " + row(after) + ".querySelector('.c-last').textContent === 'ticket.assigned'"
					+ " && " + row(after) + ".querySelector('.c-assignee').textContent === 'Ada Lovelace'", 30);
			assertThat(browser.evaluate(row(after) + ".querySelector('.c-subject').textContent").asText())
				.isEqualTo("After the restart");
			assertThat(browser.evaluate("[...document.querySelectorAll('#merchant-events .agent')].map(a => a.textContent.trim())"
					+ ".join('|')").asText()).as("the agents the merchant's events name").isEqualTo("Ada Lovelace|Ada Lovelace");

			assertThat(browser.screenshot(Path.of("target", "console-reconnect.png"))).isNotEmptyFile();
		}
		finally {
			server.close();
		}
	}

	private HelpdeskProcess start() {
		return HelpdeskProcess.start(HelpdeskApplication.class.getName(), "console-reconnect", database.getJdbcUrl(),
				database.getUsername(), database.getPassword() == null ? "" : database.getPassword(),
				"--helpdesk.run-mode=api", "--spring.datasource.hikari.maximum-pool-size=5",
				"--spring.datasource.hikari.minimum-idle=1",
				"--spring.modulith.events.republish-outstanding-events-on-restart=false",
				"--helpdesk.sla-monitor.cron=0 0 1 1 *");
	}

	private static String ticket(TestApi through, String key, String subject) {
		var created = through.post("/api/v1/tickets", key, Map.of("subject", subject, "description", "d",
				"requester", Map.of("email", "ann@example.com"), "priority", "HIGH"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.body().get("id").asText();
	}

	private static String row(String ticketId) {
		return "document.querySelector('tr[data-ticket-id=\"" + ticketId + "\"]')";
	}

	private static void await(HeadlessChromium browser, String condition, int seconds) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(seconds))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> browser.evaluate("!!(" + condition + ")").asBoolean());
	}
}
