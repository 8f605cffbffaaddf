package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

@HelpdeskTest
class ServiceEndpointsTests {

	@Autowired
	TestApi api;

	@Autowired
	ObjectProvider<SpanExporter> exporters;

	@Autowired
	Sampler sampler;

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
	void healthShowsItsComponentsAndTheirDetailsOnlyToTheOperationsToken() {
		for (var path : new String[] { "/actuator/health", "/actuator/health/readiness" }) {
			var anonymous = api.get(path, null);
			assertThat(anonymous.status()).isEqualTo(200);
			assertThat(anonymous.body().get("status").asText()).isEqualTo("UP");
			assertThat(anonymous.body().has("components")).as(path + " without the token").isFalse();

			var operator = api.get(path, TestApi.OPS_TOKEN);
			assertThat(operator.status()).isEqualTo(200);
			assertThat(operator.body().at("/components/db/status").asText()).as(path).isEqualTo("UP");
			assertThat(operator.body().at("/components/db/details/database").asText()).isEqualTo("PostgreSQL");
			assertThat(operator.body().at("/components/relay/details/relay").asText()).isEqualTo("off: in-memory broker");
		}
		assertThat(api.get("/actuator/health", TestApi.OPS_TOKEN).body().at("/components/diskSpace/details/free").isNumber())
			.isTrue();
		assertThat(api.get("/actuator/health/readiness", TestApi.OPS_TOKEN).body().get("components").fieldNames())
			.toIterable()
			.containsExactlyInAnyOrder("db", "readinessState", "relay");
		assertThat(api.get("/actuator/health", "not-the-token").status()).isEqualTo(401);
	}

	@Test
	void recordsNoSpanWithoutAnOtlpEndpoint() {
		assertThat(exporters.stream()).as("no management.otlp.tracing.endpoint: no exporter").isEmpty();
		assertThat(sampler.getDescription()).isEqualTo(Sampler.alwaysOff().getDescription());
	}

	@Test
	void keepsOtherActuatorEndpointsBehindTheOperationsToken() {
		assertThat(api.get("/actuator/metrics", null).status()).isEqualTo(401);
		assertThat(api.get("/actuator/metrics", TestApi.OPS_TOKEN).status()).isEqualTo(200);
		assertThat(api.get("/actuator/modulith", TestApi.OPS_TOKEN).status()).isEqualTo(200);
	}
}
