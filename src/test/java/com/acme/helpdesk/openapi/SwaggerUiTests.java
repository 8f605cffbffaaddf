package com.acme.helpdesk.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.acme.helpdesk.support.ExternalService;
import com.acme.helpdesk.support.HeadlessChromium;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * Swagger UI as a person uses it, in Debian's headless Chromium ({@code apt-get install -y chromium}; without it the
 * test skips, or fails under {@code HELPDESK_TEST_REQUIRE_ALL=true}): paste an API key into "Authorize", then "Try it
 * out" creates a ticket with the document's own example body and lists it. Saves {@code target/swagger-ui.png}.
 */
@HelpdeskTest
class SwaggerUiTests {

	@Autowired
	TestApi api;

	@Test
	void tryItOutWithAPastedKeyCreatesATicketFromTheExampleAndListsIt() throws Exception {
		ExternalService.require(HeadlessChromium.available(), "No Chromium at " + HeadlessChromium.binary()
				+ ": install Debian's package (`apt-get install -y chromium`) or set HELPDESK_CHROMIUM");
		var merchant = api.newMerchant();
		try (var browser = HeadlessChromium.start()) {
			browser.navigate(api.baseUrl() + "/swagger-ui.html");
			await(browser, "!!document.querySelector('#operations-Tickets-createTicket')", 60);

			browser.evaluate("document.querySelector('.auth-wrapper .authorize').click(); true");
			await(browser, "document.querySelectorAll('.auth-container input').length >= 2", 30);
			// the first scheme of the dialog is the merchant API key; paste the key as a person would
			assertThat(browser.evaluate("document.querySelector('.auth-container h4').textContent").asText())
				.contains("apiKey");
			browser.evaluate("document.querySelector('.auth-container input').focus(); true");
			browser.call("Input.insertText", Map.of("text", merchant.adminKey()));
			browser.evaluate("document.querySelector('.auth-container .auth-btn-wrapper .authorize').click(); true");
			await(browser, "!!document.querySelector('.auth-container .auth-btn-wrapper .btn-done, "
					+ ".auth-container .auth-btn-wrapper button.logout')", 30);
			browser.evaluate("document.querySelector('.dialog-ux .close-modal').click(); true");

			var created = tryItOut(browser, "operations-Tickets-createTicket");
			assertThat(created.status()).isEqualTo("201");
			assertThat(created.body()).contains("\"subject\": \"Parcel missing\"", "\"orderId\": \"A-1042\"");
			var id = created.body().replaceAll("(?s).*?\"id\": \"([0-9a-f-]{36})\".*", "$1");
			assertThat(UUID.fromString(id)).isNotNull();

			var listed = tryItOut(browser, "operations-Tickets-listTickets");
			assertThat(listed.status()).isEqualTo("200");
			assertThat(listed.body()).contains(id);
			assertThat(api.get("/api/v1/tickets/" + id, merchant.adminKey()).status()).isEqualTo(200);

			browser.evaluate(
					"document.querySelector('#operations-Tickets-listTickets .live-responses-table').scrollIntoView(); true");
			assertThat(browser.screenshot(Path.of("target", "swagger-ui.png"))).exists().isNotEmptyFile();
		}
	}

	private record Executed(String status, String body) {
	}

	/** Opens an operation, presses "Try it out" and "Execute", and reads the live answer's status and body. */
	private static Executed tryItOut(HeadlessChromium browser, String operation) {
		var block = "document.getElementById('" + operation + "')";
		browser.evaluate(block + ".querySelector('.opblock-summary-control').click(); true");
		await(browser, "!!" + block + ".querySelector('.try-out__btn')", 30);
		browser.evaluate(block + ".querySelector('.try-out__btn').click(); true");
		await(browser, "!!" + block + ".querySelector('.execute')", 30);
		browser.evaluate(block + ".querySelector('.execute').click(); true");
		var status = block + ".querySelector('.live-responses-table .response .response-col_status')";
		await(browser, "!!" + status + " && " + status + ".textContent.trim().length > 0", 30);
		return new Executed(browser.evaluate(status + ".textContent.trim()").asText(),
				browser.evaluate(block + ".querySelector('.live-responses-table .response-col_description pre')"
						+ ".textContent").asText());
	}

	/** Waits for a condition in the page; on a timeout, {@code target/swagger-ui-failed.png} shows where it stood. */
	private static void await(HeadlessChromium browser, String condition, int seconds) {
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(seconds))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> browser.evaluate("!!(" + condition + ")").asBoolean());
		}
		catch (ConditionTimeoutException e) {
			try {
				browser.screenshot(Path.of("target", "swagger-ui-failed.png"));
			}
			catch (IOException | RuntimeException screenshotFailed) {
				e.addSuppressed(screenshotFailed);
			}
			throw e;
		}
	}
}
