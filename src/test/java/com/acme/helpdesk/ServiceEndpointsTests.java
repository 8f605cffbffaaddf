package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

@HelpdeskTest
class ServiceEndpointsTests {

	@Autowired
	TestApi api;

	@Test
	void servesHealthMetricsAndTheOpenApiDocumentWithoutAKey() {
		assertThat(api.get("/actuator/health", null).body().get("status").asText()).isEqualTo("UP");
		assertThat(api.get("/v3/api-docs", null).body().get("paths").has("/api/v1/tickets")).isTrue();
		var prometheus = api.getText("/actuator/prometheus", null);
		assertThat(prometheus.status()).isEqualTo(200);
		assertThat(prometheus.body().asText()).contains("http_server_requests");
	}

	@Test
	void theOpenApiDocumentDescribesTheApiAndTheCredentialOfEachPath() {
		var document = api.get("/v3/api-docs", null).body();

		assertThat(document.get("info").get("title").asText()).isEqualTo("Helpdesk API");
		assertThat(document.get("info").get("version").asText()).isEqualTo("v1");
		assertThat(document.get("info").get("description").asText()).contains("Authorization: Bearer", "problem detail");
		assertThat(document.get("components").get("securitySchemes").fieldNames()).toIterable()
			.contains("apiKey", "opsToken");
		assertThat(document.at("/paths/~1api~1v1~1tickets/post/security/0").has("apiKey")).isTrue();
		assertThat(document.at("/paths/~1ops~1v1~1merchants/post/security/0").has("opsToken")).isTrue();
		assertThat(document.at("/paths/~1public~1v1~1surveys~1{token}/get/security").isEmpty()).isTrue();
	}

	@Test
	void keepsOtherActuatorEndpointsBehindTheOperationsToken() {
		assertThat(api.get("/actuator/metrics", null).status()).isEqualTo(401);
		assertThat(api.get("/actuator/metrics", TestApi.OPS_TOKEN).status()).isEqualTo(200);
		assertThat(api.get("/actuator/modulith", TestApi.OPS_TOKEN).status()).isEqualTo(200);
	}
}
