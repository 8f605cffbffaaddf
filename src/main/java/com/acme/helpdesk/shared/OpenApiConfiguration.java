package com.acme.helpdesk.shared;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * What the OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}) says of the API as a whole;
 * springdoc derives the paths and shapes from the controllers. {@code docs/api.md} is the same API in prose.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String API_KEY = "apiKey";
	static final String OPS_TOKEN = "opsToken";

	static final String DESCRIPTION = """
			The back end of a multi-tenant helpdesk: tickets and their messages, agents and assignment, SLA clocks and \
			escalations, notifications, satisfaction surveys.

			- `/api/v1/**` takes `Authorization: Bearer <api key>`. A key belongs to one merchant and is an admin key or \
			an agent key; another merchant's data is never visible (its ids answer 404).
			- `/ops/v1/**` takes `Authorization: Bearer <operations token>` (`HELPDESK_OPS_TOKEN`).
			- `/public/v1/**` (a survey's page, by its token) takes no key.
			- Every error is an RFC 9457 problem detail (`application/problem+json`); bad input answers 400 naming each \
			field in `errors[].field` and writes nothing.
			- Lists answer `{"items": [...], "page": 0, "size": 20, "totalItems": 123}`; times and durations are ISO-8601, \
			ids UUIDs.
			- Live updates: STOMP over WebSocket at `/ws` (the `CONNECT` frame carries the same bearer key).""";

	@Bean
	OpenAPI helpdeskOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Helpdesk API").version("v1").description(DESCRIPTION))
			.components(new Components()
				.addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
					.description("A merchant's API key (admin or agent)"))
				.addSecuritySchemes(OPS_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
					.description("The operations token")));
	}

	/** Each operation names the credential its path takes: an API key, the operations token, or none. */
	@Bean
	OpenApiCustomizer credentialsByPath() {
		return openApi -> {
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().forEach((path, item) -> {
				var scheme = path.startsWith("/api/") ? API_KEY : path.startsWith("/ops/") ? OPS_TOKEN : null;
				if (scheme != null) {
					item.readOperations().forEach(operation -> operation.setSecurity(
							java.util.List.of(new SecurityRequirement().addList(scheme))));
				}
			});
		};
	}
}
