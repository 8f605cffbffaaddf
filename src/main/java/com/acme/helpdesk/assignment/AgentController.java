package com.acme.helpdesk.assignment;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.ConflictException;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.shared.PageResponse;
import com.acme.helpdesk.tenancy.ApiKeys;
import com.acme.helpdesk.tenancy.AuditTrail;
import com.acme.helpdesk.tenancy.Tenant;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@RestController
@Validated
@Tag(name = "Agents")
class AgentController {

	@Schema(description = "A new agent")
	record CreateAgent(
			@Schema(description = "The agent's name", example = "Bob Jones") @NotBlank @Size(max = 200) String name,
			@Schema(description = "The agent's email address (unique in the merchant)", example = "bob@example.com")
			@NotBlank @Email @Size(max = 320) String email,
			@Schema(description = "How many open tickets automatic assignment gives the agent at most", example = "10")
			@NotNull @Min(0) @Max(10_000) Integer capacity,
			@Schema(description = "The categories whose tickets the agent takes")
			@Size(max = 100) List<@NotNull UUID> categoryIds,
			@Schema(description = "`OFFLINE` when left out; only `ONLINE` agents are assigned tickets automatically")
			Availability availability) {
	}

	@Schema(description = "A change of an agent: the fields given change, the others stay")
	record ChangeAgent(
			@Schema(description = "The new availability (an agent key: of its own agent only)")
			Availability availability,
			@Schema(description = "The new capacity (admin keys only)", example = "10")
			@Min(0) @Max(10_000) Integer capacity,
			@Schema(description = "The new categories (admin keys only)")
			@Size(max = 100) List<@NotNull UUID> categoryIds) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "Agent", description = "An agent of the merchant")
	record AgentView(
			@Schema(description = "The agent's id") UUID id, @Schema(description = "The agent's name") String name,
			@Schema(description = "The agent's email address") String email,
			@Schema(description = "How many open tickets automatic assignment gives the agent at most") int capacity,
			@Schema(description = "The categories whose tickets the agent takes") List<UUID> categoryIds,
			@Schema(description = "Whether the agent takes tickets now (`ONLINE`)") Availability availability,
			@Schema(description = "The agent's open (assigned, not resolved) tickets") int load,
			@Schema(description = "The agent's own API key: only in the answer that created the agent, shown once")
			String apiKey) {

		static AgentView of(Agent agent, String apiKey) {
			return new AgentView(agent.id(), agent.name(), agent.email(), agent.capacity(), agent.categoryIds(),
					agent.availability(), agent.load(), apiKey);
		}
	}

	private final AgentRepository agents;
	private final com.acme.helpdesk.tickets.Tickets tickets;
	private final ApiKeys apiKeys;
	private final Clock clock;
	private final org.springframework.context.ApplicationEventPublisher events;
	private final AuditTrail audit;

	AgentController(AgentRepository agents, com.acme.helpdesk.tickets.Tickets tickets, ApiKeys apiKeys, Clock clock,
			org.springframework.context.ApplicationEventPublisher events, AuditTrail audit) {
		this.events = events;
		this.audit = audit;
		this.tickets = tickets;
		this.agents = agents;
		this.apiKeys = apiKeys;
		this.clock = clock;
	}

	@PostMapping("/api/v1/agents")
	@ResponseStatus(HttpStatus.CREATED)
	@Transactional
	@Operation(operationId = "createAgent", summary = "Create an agent", description = """
			An agent, with an API key of its own (`apiKey`, shown only in this answer). Needs an admin key.""")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	@ApiResponse(responseCode = "409", description = "An agent with this email exists")
	AgentView create(@AuthenticationPrincipal Tenant tenant, @Valid @RequestBody CreateAgent request) {
		requireAdmin(tenant);
		checkCategories(tenant, request.categoryIds());
		var email = request.email().strip();
		if (agents.existsByMerchantIdAndEmailIgnoreCase(tenant.merchantId(), email)) {
			throw new ConflictException("An agent with email '%s' exists already".formatted(email));
		}
		var agent = agents.save(new Agent(tenant.merchantId(), request.name().strip(), email, request.capacity(),
				request.categoryIds() == null ? List.of() : request.categoryIds(),
				request.availability() == null ? Availability.OFFLINE : request.availability(), clock.instant()));
		events.publishEvent(new AgentChanged(UUID.randomUUID(), tenant.merchantId(), agent.id(), null,
				agent.availability(), agent.capacity(), clock.instant()));
		audit.record(tenant, "agent.created", "agent:" + agent.id(), null, AgentView.of(agent, null));
		return AgentView.of(agent, apiKeys.issueAgentKey(tenant, agent.id()));
	}

	@GetMapping("/api/v1/agents")
	@Operation(operationId = "listAgents", summary = "List agents",
			description = "The merchant's agents, by name (without `apiKey`).")
	PageResponse<AgentView> list(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return PageResponse.of(agents.findByMerchantIdOrderByName(tenant.merchantId(), PageRequest.of(page, size)),
				agent -> AgentView.of(agent, null));
	}

	@GetMapping("/api/v1/agents/{id}")
	@Operation(operationId = "getAgent", summary = "Read an agent", description = "One agent, with its current load.")
	AgentView get(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The agent's id") @PathVariable UUID id) {
		return AgentView.of(find(tenant, id), null);
	}

	@PatchMapping("/api/v1/agents/{id}")
	@Transactional
	@Operation(operationId = "updateAgent", summary = "Change an agent", description = """
			Changes the fields given. An agent going `ONLINE` is offered waiting tickets of its categories; one going \
			`OFFLINE` may hand its tickets back (the merchant's `returnTicketsOfOfflineAgents`). An agent key changes \
			only its own agent's availability.""")
	@ApiResponse(responseCode = "200", description = "The agent")
	@ApiResponse(responseCode = "403", description = "An agent key changing another agent, or a capacity or categories")
	@ApiResponse(responseCode = "409", description = "The agent changed meanwhile")
	AgentView change(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The agent's id") @PathVariable UUID id,
			@Valid @RequestBody ChangeAgent request) {
		if (!tenant.isAdmin()) {
			if (!id.equals(tenant.agentId())) {
				throw new AccessDeniedException("An agent key changes only its own agent");
			}
			if (request.capacity() != null || request.categoryIds() != null) {
				throw new AccessDeniedException(
						"An agent key changes only its own availability; capacity and categories need an admin key");
			}
		}
		checkCategories(tenant, request.categoryIds());
		var agent = find(tenant, id);
		var before = AgentView.of(agent, null);
		agent.change(request.availability(), request.capacity(), request.categoryIds());
		agents.saveAndFlush(agent);
		events.publishEvent(new AgentChanged(UUID.randomUUID(), tenant.merchantId(), agent.id(), before.availability(),
				agent.availability(), agent.capacity(), clock.instant()));
		var after = AgentView.of(find(tenant, id), null);
		audit.record(tenant, "agent.updated", "agent:" + id, before, after);
		return after;
	}

	private Agent find(Tenant tenant, UUID id) {
		return agents.findByIdAndMerchantId(id, tenant.merchantId()).orElseThrow(() -> new NotFoundException("Agent", id));
	}

	private void checkCategories(Tenant tenant, List<UUID> categoryIds) {
		if (categoryIds == null || categoryIds.isEmpty()) {
			return;
		}
		var unknown = tickets.firstUnknownCategory(tenant.merchantId(), categoryIds);
		if (unknown >= 0) {
			throw new com.acme.helpdesk.shared.InvalidFieldException("categoryIds[%d]".formatted(unknown), "no such category");
		}
	}

	private static void requireAdmin(Tenant tenant) {
		if (!tenant.isAdmin()) {
			throw new AccessDeniedException("This needs an admin key");
		}
	}
}
