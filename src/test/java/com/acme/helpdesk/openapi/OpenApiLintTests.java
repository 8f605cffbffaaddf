package com.acme.helpdesk.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.acme.helpdesk.openapi.RedoclyCli.Problem;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document the service serves, linted by the pinned Redocly CLI with the committed rule set
 * ({@code src/test/openapi/redocly.yaml}): any problem, warning or error, fails the build. The document is kept as
 * {@code target/openapi/openapi.json}.
 */
@HelpdeskTest
class OpenApiLintTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Autowired
	TestApi api;

	@Test
	void theServedDocumentBreaksNoRuleOfTheCommittedRuleSet() throws Exception {
		var redocly = RedoclyCli.installed();
		var document = save("openapi.json", api.getText("/v3/api-docs"));

		assertThat(redocly.lint(document)).as("Redocly's problems with %s", document).isEmpty();
	}

	/** The rule set is live: the faults the issue found, put back into the served document, are each reported. */
	@Test
	void theRuleSetReportsAnOperationWithoutSummaryAWildcardBodyAndAnUndescribedField() throws Exception {
		var redocly = RedoclyCli.installed();
		var broken = (ObjectNode) JSON.readTree(api.getText("/v3/api-docs"));
		var createTicket = (ObjectNode) broken.at("/paths/~1api~1v1~1tickets/post");
		createTicket.remove("summary");
		createTicket.remove("security");
		var created = (ObjectNode) createTicket.at("/responses/201/content");
		created.set("*/*", created.remove("application/json"));
		((ObjectNode) broken.at("/components/schemas/Ticket/properties/subject")).remove("description");
		var document = save("openapi-broken.json", JSON.writeValueAsString(broken));

		assertThat(redocly.lint(document)).extracting(Problem::rule)
			.contains("operation-summary", "security-defined", "response-mime-type", "rule/property-description");
	}

	private static Path save(String name, String document) throws Exception {
		var file = Path.of("target", "openapi", name);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, document);
	}
}
