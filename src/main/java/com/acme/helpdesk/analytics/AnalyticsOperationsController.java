package com.acme.helpdesk.analytics;

import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.tenancy.MerchantSettingsStore;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Operations (ops token): rebuild a merchant's figures from the source tables, as a job. */
@RestController
class AnalyticsOperationsController {

	record Rebuild(@NotNull UUID merchantId) {
	}

	private final AnalyticsSchedule schedule;
	private final MerchantSettingsStore merchants;

	AnalyticsOperationsController(AnalyticsSchedule schedule, MerchantSettingsStore merchants) {
		this.schedule = schedule;
		this.merchants = merchants;
	}

	@PostMapping("/ops/v1/analytics/rebuild")
	ResponseEntity<Map<String, UUID>> rebuild(@Valid @RequestBody Rebuild request) {
		if (!merchants.exists(request.merchantId())) {
			throw new NotFoundException("Merchant", request.merchantId());
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("jobId", schedule.rebuild(request.merchantId())));
	}
}
