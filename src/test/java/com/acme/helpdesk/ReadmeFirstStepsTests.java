package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.acme.helpdesk.support.ExternalService;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabaseConfiguration;

/**
 * README's first steps, so they cannot rot: the shell blocks of its section "First steps" marked
 * {@code <!-- first-steps: ...-->} and {@code <!-- dev-mail: ...-->} run as written, with {@code bash}, {@code curl} and
 * {@code jq}, against the whole service on a real port (job servers running, no SMTP server configured, so mail goes
 * to the development sink). Only {@code HELPDESK_URL} and {@code HELPDESK_OPS_TOKEN} come from the test, as the README
 * tells the reader to set them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "jobrunr.dashboard.enabled=false", "helpdesk.run-mode=all",
		"spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=30", "spring.datasource.hikari.minimum-idle=2",
		"helpdesk.sla-monitor.cron=0 0 1 1 *",
		"helpdesk.jobs.serve=sla-monitor,escalation,assignment,notification,context-enrichment,survey-trigger,analytics-update" })
@Import({ TestDatabaseConfiguration.class, TestApi.class })
@AutoConfigureObservability(tracing = false)
// closed afterwards: its job servers would otherwise keep polling beside later test classes
@DirtiesContext
class ReadmeFirstStepsTests {

	static final Path MAIL = Path.of("target", "readme-dev-mail-" + UUID.randomUUID());
	static final Duration WAIT = Duration.ofSeconds(60);

	record Run(int exit, String output) {
	}

	@DynamicPropertySource
	static void developmentMailSink(DynamicPropertyRegistry registry) {
		registry.add("helpdesk.notifications.dev-mail-directory", MAIL::toString);
	}

	@Autowired
	TestApi api;

	@BeforeEach
	void tools() {
		ExternalService.require(available("jq") && available("curl"), "jq and curl (README's first steps use them)");
	}

	@Test
	void theFirstStepsAsWrittenEndWithTheTicketAssignedAndTheAgentsMailInTheDevelopmentSink() throws Exception {
		var steps = block("first-steps");
		var run = bash(steps + "\nprintf '\\nVARIABLES %s %s %s %s\\n' \"$KEY\" \"$CATEGORY\" \"$AGENT\" \"$TICKET\"\n",
				Map.of("HELPDESK_URL", api.baseUrl(), "HELPDESK_OPS_TOKEN", TestApi.OPS_TOKEN));
		System.out.println("README first steps:\n" + run.output());

		assertThat(run.exit()).as(run.output()).isZero();
		assertThat(run.output()).contains("\"assignedToAnn\": true").contains("\"strategy\": \"LOAD_BALANCED\"");
		var variables = run.output().lines().filter(line -> line.startsWith("VARIABLES ")).findFirst().orElseThrow()
			.split(" ");
		var key = variables[1];
		var category = api.get("/api/v1/categories/" + variables[2], key).body();
		assertThat(category.get("routing").get("strategy").asText()).isEqualTo("LOAD_BALANCED");
		var agent = api.get("/api/v1/agents/" + variables[3], key).body();
		assertThat(agent.get("availability").asText()).isEqualTo("ONLINE");
		assertThat(agent.get("categoryIds")).extracting(id -> id.asText()).containsExactly(variables[2]);
		var ticket = api.get("/api/v1/tickets/" + variables[4], key).body();
		assertThat(ticket.get("assigneeId").asText()).isEqualTo(variables[3]);
		assertThat(ticket.get("categoryId").asText()).isEqualTo(variables[2]);

		// the assignment's mail to Ann, in the development sink, as README's next block shows it
		var mail = block("dev-mail");
		var listed = await().atMost(WAIT)
			.until(() -> bash(mail, Map.of("HELPDESK_URL", api.baseUrl(), "HELPDESK_OPS_TOKEN", TestApi.OPS_TOKEN)),
					listing -> listing.exit() == 0 && listing.output().contains("ann@acme.example"));
		System.out.println("README development mail:\n" + listed.output());
		assertThat(listed.output()).contains("\"subject\": \"[#" + ticket.get("number").asLong()
				+ "] Parcel missing: Ticket assigned to you\"");
		var items = api.get("/ops/v1/dev-mail", TestApi.OPS_TOKEN).body().get("items");
		assertThat(items).hasSize(1);
		assertThat(items.get(0).get("body").asText()).contains("Parcel missing");
		var raw = api.getText("/ops/v1/dev-mail/" + items.get(0).get("id").asText(), TestApi.OPS_TOKEN);
		assertThat(raw.status()).isEqualTo(200);
		assertThat(raw.header("Content-Type")).startsWith("message/rfc822");
		assertThat(raw.body().asText()).contains("To: ann@acme.example").contains("Subject: [#");
		try (var files = Files.list(MAIL)) {
			assertThat(files.map(file -> file.getFileName().toString()))
				.containsExactly(items.get(0).get("id").asText() + ".eml");
		}
	}

	@Test
	void theFirstStepsStopAtOnceWithoutTheOperationsToken() throws Exception {
		var run = bash(block("first-steps"), Map.of("HELPDESK_URL", api.baseUrl()));

		assertThat(run.exit()).isNotZero();
		assertThat(run.output()).contains("export the operations token the service was started with");
	}

	@Test
	void theOperationsApiOfTheDevelopmentSinkNeedsTheTokenAndAnswersProblemsForUnknownMail() {
		assertThat(api.get("/ops/v1/dev-mail", null).status()).isEqualTo(401);
		var unknown = api.get("/ops/v1/dev-mail/20260101T000000000Z-" + UUID.randomUUID(), TestApi.OPS_TOKEN);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(api.get("/ops/v1/dev-mail/..%2F..%2Fpom", TestApi.OPS_TOKEN).status()).isIn(400, 404);
		assertThat(api.get("/ops/v1/dev-mail?size=0", TestApi.OPS_TOKEN).status()).isEqualTo(400);
	}

	/** The shell block of README's section "First steps" after the marker {@code <!-- name: ... -->}. */
	static String block(String name) throws IOException {
		var readme = Files.readString(Path.of("README.md"));
		var section = readme.substring(readme.indexOf("## First steps"));
		section = section.substring(0, section.indexOf("\n## "));
		var marker = section.indexOf("<!-- " + name + ":");
		assertThat(marker).as("README's first steps mark the block " + name).isNotNegative();
		var start = section.indexOf("```sh\n", marker) + "```sh\n".length();
		return section.substring(start, section.indexOf("\n```", start) + 1);
	}

	/** Runs the script with {@code bash -euo pipefail} and these variables (and none of the test's HELPDESK_*). */
	static Run bash(String script, Map<String, String> variables) throws IOException, InterruptedException {
		var builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true);
		var environment = builder.environment();
		new HashMap<>(environment).keySet().stream().filter(name -> name.startsWith("HELPDESK_"))
			.forEach(environment::remove);
		environment.putAll(variables);
		var process = builder.start();
		var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(90, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("the script did not end: " + output);
		}
		return new Run(process.exitValue(), output);
	}

	private static boolean available(String command) {
		try {
			return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
