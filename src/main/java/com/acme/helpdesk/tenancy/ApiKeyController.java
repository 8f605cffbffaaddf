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

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** {@code /api/v1/api-keys}: an admin lists, creates and revokes its merchant's keys. */
@RestController
@Validated
class ApiKeyController {

	record CreateKey(Tenant.Role role, UUID agentId, Instant expiresAt) {
	}

	private final ApiKeys apiKeys;

	ApiKeyController(ApiKeys apiKeys) {
		this.apiKeys = apiKeys;
	}

	@GetMapping("/api/v1/api-keys")
	PageResponse<ApiKeyView> list(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return apiKeys.list(tenant, page, size);
	}

	@PostMapping("/api/v1/api-keys")
	@ResponseStatus(HttpStatus.CREATED)
	ApiKeyView.Created create(@AuthenticationPrincipal Tenant tenant, @RequestBody CreateKey request) {
		return apiKeys.create(tenant, request.role(), request.agentId(), request.expiresAt());
	}

	@DeleteMapping("/api/v1/api-keys/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revoke(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id) {
		apiKeys.revoke(tenant, id);
	}
}
