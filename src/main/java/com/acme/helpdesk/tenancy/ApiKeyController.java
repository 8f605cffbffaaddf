package com.acme.helpdesk.tenancy;

import java.time.Instant;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.PageResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** {@code /api/v1/api-keys}: an admin lists, creates and revokes its merchant's keys. */
@RestController
@Validated
@Tag(name = "API keys")
class ApiKeyController {

	@Schema(name = "CreateApiKey", description = "A new API key")
	record CreateKey(
			@Schema(description = "`ADMIN`, or `AGENT` for a key acting as one agent",
					requiredMode = Schema.RequiredMode.REQUIRED)
			Tenant.Role role,
			@Schema(description = "The agent an `AGENT` key acts as (required for those, absent for `ADMIN`)")
			UUID agentId,
			@Schema(description = "When the key stops working (within ten years); never when left out")
			Instant expiresAt) {
	}

	private final ApiKeys apiKeys;

	ApiKeyController(ApiKeys apiKeys) {
		this.apiKeys = apiKeys;
	}

	@GetMapping("/api/v1/api-keys")
	@Operation(operationId = "listApiKeys", summary = "List API keys", description = """
			The merchant's keys that are not revoked (expired ones included), newest first; never the keys themselves.""")
	@ApiResponse(responseCode = "200", description = "A page of keys")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	PageResponse<ApiKeyView> list(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return apiKeys.list(tenant, page, size);
	}

	@PostMapping("/api/v1/api-keys")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createApiKey", summary = "Create an API key", description = """
			An admin key, or an agent key acting as one of the merchant's agents. The key (`apiKey`) is shown only in \
			this answer; the service keeps its hash.""")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	ApiKeyView.Created create(@AuthenticationPrincipal Tenant tenant, @RequestBody CreateKey request) {
		return apiKeys.create(tenant, request.role(), request.agentId(), request.expiresAt());
	}

	@DeleteMapping("/api/v1/api-keys/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "revokeApiKey", summary = "Revoke an API key", description = """
			The key stops working at once. The merchant's last valid admin key cannot be revoked: create another first.""")
	@ApiResponse(responseCode = "204", description = "Revoked")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	@ApiResponse(responseCode = "409", description = "This is the merchant's last valid admin key")
	void revoke(@AuthenticationPrincipal Tenant tenant,
				@Parameter(description = "The key's id") @PathVariable UUID id) {
		apiKeys.revoke(tenant, id);
	}
}
