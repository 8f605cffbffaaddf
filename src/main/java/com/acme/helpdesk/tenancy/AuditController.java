package com.acme.helpdesk.tenancy;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.PageResponse;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** {@code GET /api/v1/audit-events}: the merchant's audit trail, newest first, for its admins. */
@RestController
@Validated
class AuditController {

	private final AuditTrail audit;

	AuditController(AuditTrail audit) {
		this.audit = audit;
	}

	@GetMapping("/api/v1/audit-events")
	PageResponse<AuditTrail.AuditEvent> list(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return audit.list(tenant, page, size);
	}
}
