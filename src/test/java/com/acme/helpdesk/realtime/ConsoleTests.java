package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.acme.helpdesk.support.ExternalService;
import com.acme.helpdesk.support.HeadlessChromium;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * The live console in a real browser: Debian's headless Chromium ({@code apt-get install -y chromium}; without
 * it the test skips, or fails under {@code HELPDESK_TEST_REQUIRE_ALL=true}), driven over the DevTools protocol.
 * Saves {@code target/console.png}.
 */
@HelpdeskTest
class ConsoleTests {

	@Autowired
	TestApi api;

	@Test
	void consoleShowsATicketCreatedThroughTheApiAndFollowsItsRoom() throws Exception {
		followATicket(api, "console.png");
	}

	/**
	 * The console's flow against the service behind {@code api}: connect with a merchant's key, see a new ticket, open
	 * its room and see its events; the screenshot goes to {@code target/<screenshot>}. Also run in relay mode
	 * ({@link RelayTests}), where the console's {@code host} header reaches RabbitMQ's STOMP plugin.
	 */
	static void followATicket(TestApi api, String screenshotName) throws Exception {
		ExternalService.require(HeadlessChromium.available(), "No Chromium at " + HeadlessChromium.binary()
				+ ": install Debian's package (`apt-get install -y chromium`) or set HELPDESK_CHROMIUM");
		var merchant = api.newMerchant();
		api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Existing ticket", "description", "d",
				"requester", Map.of("email", "old@example.com"), "priority", "LOW"));
		try (var browser = HeadlessChromium.start()) {
			browser.navigate(api.baseUrl() + "/console");
			await(browser, "document.readyState === 'complete' && !!document.getElementById('api-key')", 30);
			browser.evaluate("document.getElementById('api-key').value = '" + merchant.adminKey() + "';"
					+ "document.getElementById('connect').click(); true");
			await(browser, "document.getElementById('state').textContent === 'connected'", 30);
			await(browser, "document.querySelectorAll('#tickets tr').length === 1", 30);

			var created = api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Printer on fire",
					"description", "Smoke", "requester", Map.of("email", "ann@example.com"), "priority", "URGENT"));
			assertThat(created.status()).isEqualTo(201);
			var ticketId = created.body().get("id").asText();
			var shown = new AtomicReference<String>();
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> {
					shown.set(browser.evaluate("(() => { const tr = document.querySelector('tr[data-ticket-id=\"" + ticketId
							+ "\"]'); return tr ? tr.dataset.status + '|' + tr.querySelector('.c-subject').textContent : null })()")
						.asText(null));
					return shown.get() != null;
				});
			assertThat(shown.get()).isEqualTo("OPEN|Printer on fire");

			browser.evaluate("document.querySelector('tr[data-ticket-id=\"" + ticketId + "\"]').click(); true");
			await(browser, "document.getElementById('room-name').textContent.includes('" + ticketId + "')", 30);
			// the SUBSCRIBE of the room is asynchronous: push until the room's log shows an event
			api.post("/api/v1/tickets/" + ticketId + "/status", merchant.adminKey(),
					Map.of("status", "IN_PROGRESS", "reason", "on it"));
			await(browser, "document.querySelector('tr[data-ticket-id=\"" + ticketId + "\"]').dataset.status === 'IN_PROGRESS'", 30);
			Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
				api.post("/api/v1/tickets/" + ticketId + "/messages", merchant.adminKey(),
						Map.of("body", "Fire is out", "authorType", "AGENT"));
				return browser.evaluate("document.getElementById('room-events').textContent.includes('ticket.message.created')")
					.asBoolean();
			});

			var screenshot = browser.screenshot(Path.of("target", screenshotName));
			assertThat(screenshot).exists().isNotEmptyFile();
		}
	}

	private static void await(HeadlessChromium browser, String condition, int seconds) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(seconds))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> browser.evaluate("!!(" + condition + ")").asBoolean());
	}
}
