package com.acme.helpdesk.tenancy;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.PageResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** {@code GET /api/v1/audit-events}: the merchant's audit trail, newest first, for its admins. */
@RestController
@Validated
@Tag(name = "Audit events")
class AuditController {

	private final AuditTrail audit;

	AuditController(AuditTrail audit) {
		this.audit = audit;
	}

	@GetMapping("/api/v1/audit-events")
	@Operation(operationId = "listAuditEvents", summary = "List audit events", description = """
			Who changed what (agents, categories, settings, policies, keys), newest first, with the state before and \
			after; never a secret.""")
	@ApiResponse(responseCode = "200", description = "A page of audit events")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	PageResponse<AuditTrail.AuditEvent> list(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return audit.list(tenant, page, size);
	}
}
