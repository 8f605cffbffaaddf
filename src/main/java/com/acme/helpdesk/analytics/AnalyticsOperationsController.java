package com.acme.helpdesk.analytics;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.AcceptedJob;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.tenancy.MerchantSettingsStore;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Operations (ops token): rebuild a merchant's figures from the source tables, as a job. */
@RestController
@Tag(name = "Analytics rebuild")
class AnalyticsOperationsController {

	@Schema(name = "AnalyticsRebuild", description = "Whose analytics to recount")
	record Rebuild(@Schema(description = "The merchant") @NotNull UUID merchantId) {
	}

	private final AnalyticsSchedule schedule;
	private final MerchantSettingsStore merchants;

	AnalyticsOperationsController(AnalyticsSchedule schedule, MerchantSettingsStore merchants) {
		this.schedule = schedule;
		this.merchants = merchants;
	}

	@PostMapping("/ops/v1/analytics/rebuild")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "rebuildAnalytics", summary = "Rebuild a merchant's analytics", description = """
			Enqueues an `analytics-rebuild` job that recounts the merchant's figures from the source tables \
			(docs/analytics.md#rebuild).""")
	@ApiResponse(responseCode = "404", description = "No such merchant")
	AcceptedJob rebuild(@Valid @RequestBody Rebuild request) {
		if (!merchants.exists(request.merchantId())) {
			throw new NotFoundException("Merchant", request.merchantId());
		}
		return new AcceptedJob(schedule.rebuild(request.merchantId()));
	}
}
