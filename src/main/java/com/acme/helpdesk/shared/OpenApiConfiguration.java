package com.acme.helpdesk.shared;

import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.core.converter.ModelConverter;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;

/**
 * What the OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}) says of the API as a whole.
 * springdoc derives paths and shapes from the controllers and their annotations; here: the credentials, the problem
 * details and the error answers every operation shares (by its path, parameters and body), so that controllers
 * declare only the errors of their own (a 403, a 409). {@code docs/api.md} is the same API in prose.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String API_KEY = "apiKey";
	static final String OPS_TOKEN = "opsToken";
	static final String PROBLEM = "Problem";
	static final String INVALID_REQUEST_PROBLEM = "InvalidRequestProblem";
	static final String FIELD_PROBLEM = "FieldProblem";

	static final String DESCRIPTION = """
			The back end of a multi-tenant helpdesk: tickets and their messages, agents and assignment, SLA clocks and \
			escalations, notifications, satisfaction surveys, analytics.

			- `/api/v1/**` takes `Authorization: Bearer <api key>` (the `apiKey` scheme). A key belongs to one merchant and \
			is an admin key or an agent key; another merchant's data is never visible (its ids answer 404).
			- `/ops/v1/**` takes `Authorization: Bearer <operations token>` (the `opsToken` scheme, `HELPDESK_OPS_TOKEN`).
			- `/public/v1/**` (a survey's page, by its token) takes no key.
			- Every error is an RFC 9457 problem detail (`application/problem+json`) whose `type` names its kind \
			(`https://helpdesk.example/problems/<kind>`, listed in docs/problems.md); bad input answers 400 naming each \
			field in `errors[].field` and writes nothing.
			- Lists answer `{"items": [...], "page": 0, "size": 20, "totalItems": 123}`; times and durations are ISO-8601, \
			ids UUIDs. Answers carry every field of their shape, `null` when it has no value (unless a field says \
			otherwise).
			- Live updates: STOMP over WebSocket at `/ws` (the `CONNECT` frame carries the same bearer key).""";

	/** The tags of the operations, one per resource, in the order Swagger UI shows them. */
	private static final Map<String, String> TAGS = orderedMap(
			"Tickets", "Tickets: create, read, list; change the status; assign",
			"Ticket messages", "The conversation of a ticket: customer messages, agent replies, internal notes",
			"SLA clocks", "A ticket's SLA clocks: first response and resolution",
			"Agents", "The merchant's agents: their availability, capacity and categories",
			"Categories", "Categories of tickets, each with the routing that assigns its tickets",
			"Tags", "Tags of tickets",
			"SLA policies", "The first-response and resolution targets per priority, with business hours",
			"Escalation policy", "What happens when an SLA is breached, level by level",
			"Notifications", "The calling agent's in-app notifications and its notification preferences",
			"Surveys", "Satisfaction surveys: a ticket's survey and the statistics",
			"Public surveys", "The survey page a requester opens from the mail (no key: the token is the credential)",
			"Analytics", "Volumes, response and resolution times, SLA attainment, CSAT and backlog, as JSON or CSV",
			"Settings", "The merchant's settings: webhook, enrichment endpoint, survey delay",
			"API keys", "The merchant's API keys (admin keys only)",
			"Audit events", "The merchant's audit trail (admin keys only)",
			"Merchants", "Operations: create merchants with their first admin key",
			"Rate limits", "Operations: a merchant's rate limit on `/api/**`",
			"Dead letters", "Operations: jobs that failed every attempt; requeue or discard them",
			"Event publications", "Operations: events whose listeners have not completed (the outbox)",
			"SLA monitor", "Operations: run the SLA monitor now",
			"Development mail", "Operations: the mail the development sink kept while no SMTP server is configured",
			"Analytics rebuild", "Operations: recount a merchant's analytics from the source tables");

	private static Map<String, String> orderedMap(String... keysAndValues) {
		var map = new LinkedHashMap<String, String>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		return Collections.unmodifiableMap(map);
	}

	@Bean
	OpenAPI helpdeskOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Helpdesk API").version("v1").description(DESCRIPTION))
			.servers(List.of(new Server().url("/").description("This service")))
			.tags(TAGS.entrySet().stream().map(tag -> new Tag().name(tag.getKey()).description(tag.getValue())).toList())
			.components(new Components()
				.addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
					.description("A merchant's API key (`hd_...`): an admin key, or an agent key acting as its agent"))
				.addSecuritySchemes(OPS_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
					.description("The operations token (`HELPDESK_OPS_TOKEN`)"))
				.addSchemas(FIELD_PROBLEM, fieldProblem())
				.addSchemas(PROBLEM, problem())
				.addSchemas(INVALID_REQUEST_PROBLEM, invalidRequestProblem())
				.addHeaders("Retry-After", new Header().description("Seconds to wait before trying again")
					.schema(new IntegerSchema().minimum(BigDecimal.ONE)))
				.addHeaders("RateLimit-Policy", new Header()
					.description("The quota that applies: `\"<name>\";q=<requests>;w=<window seconds>` "
							+ "(draft-ietf-httpapi-ratelimit-headers)")
					.schema(new StringSchema()))
				.addHeaders("RateLimit", new Header()
					.description("What is left of it: `\"<name>\";r=<remaining>;t=<seconds until it resets>`")
					.schema(new StringSchema())));
	}

	/**
	 * Free-form JSON ({@link JsonNode}: a ticket's {@code context}, a notification's {@code payload}) is an object with
	 * the description and nullability of its property's {@code @Schema}, not a schema of Jackson's node class; any JSON
	 * value where the property says {@code @Schema(implementation = Object.class)}.
	 */
	@Bean
	ModelConverter freeFormJson(ObjectMapper json) {
		return (type, context, chain) -> {
			var raw = json.constructType(type.getType()).getRawClass();
			var property = schemaAnnotation(type.getCtxAnnotations());
			var freeForm = JsonNode.class.isAssignableFrom(raw);
			var anyValue = property != null && property.implementation() == Object.class
					&& (freeForm || raw == Object.class);
			if (!freeForm && !anyValue) {
				return chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
			}
			Schema<?> schema = anyValue ? new Schema<>() : new ObjectSchema().additionalProperties(true);
			if (property != null) {
				schema.description(property.description().isEmpty() ? null : property.description());
				schema.nullable(property.nullable() ? true : null);
			}
			return schema;
		};
	}

	private static io.swagger.v3.oas.annotations.media.Schema schemaAnnotation(Annotation[] annotations) {
		for (var annotation : annotations == null ? new Annotation[0] : annotations) {
			if (annotation instanceof io.swagger.v3.oas.annotations.media.Schema schema) {
				return schema;
			}
		}
		return null;
	}

	/**
	 * Each operation: the credential its path takes (the security filter chains go by path as well), and the error
	 * answers it shares with the others, each an {@code application/problem+json} problem detail. Errors an
	 * operation declares itself ({@code @ApiResponse(responseCode = "409", description = ...)}) keep their
	 * description and get the problem schema too.
	 */
	@Bean
	OperationCustomizer sharedErrorResponses() {
		return (operation, handler) -> {
			var path = pathOf(handler);
			var credential = path.startsWith("/api/") ? API_KEY : path.startsWith("/ops/") ? OPS_TOKEN : null;
			operation.setSecurity(credential == null ? List.of()
					: List.of(new SecurityRequirement().addList(credential)));
			if (operation.getParameters() != null) {
				operation.getParameters()
					.stream()
					.filter(parameter -> parameter.getDescription() == null)
					.forEach(parameter -> parameter.setDescription(PARAMETERS.get(parameter.getName())));
			}
			var responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
			var takesBody = operation.getRequestBody() != null;
			if (takesBody || operation.getParameters() != null && !operation.getParameters().isEmpty()) {
				addIfAbsent(responses, 400, "Invalid request: `errors` names each field that is wrong; nothing was written");
			}
			if (credential != null) {
				addIfAbsent(responses, 401, credential.equals(API_KEY) ? "Missing, unknown, revoked or expired API key"
						: "Missing or wrong operations token");
			}
			if (path.contains("{")) {
				addIfAbsent(responses, 404, "No such resource, or one of another merchant");
			}
			if (takesBody) {
				addIfAbsent(responses, 413, "The body is larger than `helpdesk.requests.max-body-size`");
				addIfAbsent(responses, 415, "The body is not `application/json`");
			}
			if (credential != null) {
				addIfAbsent(responses, 429, credential.equals(API_KEY)
						? "The merchant's rate limit is used up, or this address presented too many wrong credentials"
						: "This address presented too many wrong credentials");
				responses.get("429").addHeaderObject(HttpHeaders.RETRY_AFTER, headerRef(HttpHeaders.RETRY_AFTER));
				if (credential.equals(API_KEY)) {
					responses.get("429").addHeaderObject("RateLimit-Policy", headerRef("RateLimit-Policy"));
					responses.get("429").addHeaderObject("RateLimit", headerRef("RateLimit"));
				}
			}
			addIfAbsent(responses, 503, "The database is unavailable; retry after `Retry-After`");
			responses.get("503").addHeaderObject(HttpHeaders.RETRY_AFTER, headerRef(HttpHeaders.RETRY_AFTER));
			operation.setResponses(withProblems(responses));
			return operation;
		};
	}

	/** What the parameters many lists share mean, unless an operation says otherwise. */
	private static final Map<String, String> PARAMETERS = Map.of("page", "The page, from 0", "size",
			"Items per page");

	private static void addIfAbsent(ApiResponses responses, int status, String description) {
		responses.computeIfAbsent(Integer.toString(status), code -> new ApiResponse().description(description));
	}

	/** The responses by status, every error's content the problem schema (400s the one that names fields). */
	private static ApiResponses withProblems(ApiResponses responses) {
		var sorted = new ApiResponses();
		var codes = new ArrayList<>(responses.keySet());
		codes.sort(Comparator.naturalOrder());
		for (var code : codes) {
			var response = responses.get(code);
			if (code.startsWith("4") || code.startsWith("5")) {
				var schema = code.equals("400") ? INVALID_REQUEST_PROBLEM : PROBLEM;
				response.setContent(new Content().addMediaType(MediaType.APPLICATION_PROBLEM_JSON_VALUE,
						new io.swagger.v3.oas.models.media.MediaType()
							.schema(new Schema<>().$ref("#/components/schemas/" + schema))));
			}
			sorted.addApiResponse(code, response);
		}
		return sorted;
	}

	private static Header headerRef(String name) {
		return new Header().$ref("#/components/headers/" + name);
	}

	/** The path of a handler method: its class's mapping and its own. */
	private static String pathOf(HandlerMethod handler) {
		return firstPath(AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequestMapping.class))
				+ firstPath(AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class));
	}

	private static String firstPath(RequestMapping mapping) {
		return mapping == null || mapping.path().length == 0 ? "" : mapping.path()[0];
	}

	private static Schema<?> fieldProblem() {
		return new ObjectSchema().description("One field of the request that is wrong, and why")
			.addProperty("field", new StringSchema()
				.description("The field: a path into the body (`requester.email`, `tagIds[2]`, `body` for the "
						+ "body as a whole), a query parameter or a header")
				.example("requester.email"))
			.addProperty("message", new StringSchema().description("What is wrong with it")
				.example("must be a well-formed email address"))
			.required(List.of("field", "message"));
	}

	private static Schema<Object> problem() {
		// a Schema typed object rather than an ObjectSchema, which would write an example map as a string
		return new Schema<>().type("object")
			.description("An RFC 9457 problem detail: what went wrong, for a program (`type`, `status`) and for a "
					+ "person (`title`, `detail`)")
			.addProperty("type", new StringSchema().format("uri")
				.description("The kind of problem: `" + ProblemType.BASE + "<kind>`, one per kind of error "
						+ "(docs/problems.md); `about:blank` for a status with no kind of its own")
				.example(ProblemType.NOT_FOUND.uri().toString()))
			.addProperty("title", new StringSchema().description("A short summary of the kind of problem")
				.example("Not found"))
			.addProperty("status", new IntegerSchema().description("The HTTP status code").example(404))
			.addProperty("detail", new StringSchema().description("What went wrong with this request")
				.example("Ticket 0b6e2c9e-3c4f-4b8e-9a57-5d1c1f0e2a11 not found"))
			.addProperty("instance", new StringSchema().format("uri-reference")
				.description("The path of the request, where known")
				.example("/api/v1/tickets/0b6e2c9e-3c4f-4b8e-9a57-5d1c1f0e2a11"))
			.required(List.of("type", "title", "status"));
	}

	/** {@link #problem()} with {@code errors} (a copy rather than an {@code allOf}: simpler for client generators). */
	private static Schema<?> invalidRequestProblem() {
		var problem = problem();
		return problem
			.addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + FIELD_PROBLEM))
				.description("Each field that is wrong"))
			.required(List.of("type", "title", "status", "errors"))
			.description("A problem detail of bad input (400, `" + ProblemType.INVALID_REQUEST.uri()
					+ "`): `errors` names each field that is wrong, and `detail` lists them as `field: message; ...`")
			.example(Map.of("type", ProblemType.INVALID_REQUEST.uri().toString(), "title", "Invalid request", "status",
					400, "detail", "requester.email: must be a well-formed email address", "errors",
					List.of(Map.of("field", "requester.email", "message", "must be a well-formed email address"))));
	}
}
