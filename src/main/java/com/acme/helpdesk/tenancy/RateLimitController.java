package com.acme.helpdesk.tenancy;

import java.time.Duration;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.NotFoundException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * A merchant's rate limit on {@code /api/**} (operations token): {@code requests} per {@code period}, per process.
 * Other processes apply a change within {@code helpdesk.rate-limit.refresh-after}.
 */
@RestController
@Tag(name = "Rate limits")
class RateLimitController {

	static final Duration MAX_PERIOD = Duration.ofDays(1);

	@Schema(description = "A merchant's own rate limit")
	record RateLimitInput(
			@Schema(description = "Requests per period", example = "1000")
			@NotNull @Min(1) @Max(1_000_000_000) Long requests,
			@Schema(description = "The period: whole seconds from `PT1S` to `P1D`", type = "string", format = "duration",
					example = "PT1M")
			@NotNull Duration period) {
	}

	@Schema(name = "RateLimit",
			description = "The rate limit that applies to a merchant's `/api/**` requests, per process")
	record RateLimitView(@Schema(description = "Requests per period") long requests,
			@Schema(description = "The period (ISO-8601)", example = "PT1M") String period,
			@Schema(description = "Whether this is the default of `helpdesk.rate-limit` (no limit of its own)")
			boolean usesDefault) {
	}

	private final RateLimits rateLimits;
	private final JdbcClient jdbc;

	RateLimitController(RateLimits rateLimits, JdbcClient jdbc) {
		this.rateLimits = rateLimits;
		this.jdbc = jdbc;
	}

	@GetMapping("/ops/v1/merchants/{id}/rate-limit")
	@Operation(operationId = "getMerchantRateLimit", summary = "Read a merchant's rate limit",
			description = "Its own limit, or the default when it has none.")
	RateLimitView get(@Parameter(description = "The merchant's id") @PathVariable UUID id) {
		requireMerchant(id);
		return view(id);
	}

	@PutMapping("/ops/v1/merchants/{id}/rate-limit")
	@Operation(operationId = "setMerchantRateLimit", summary = "Set a merchant's rate limit", description = """
			A limit of its own; other processes apply it within `helpdesk.rate-limit.refresh-after`.""")
	RateLimitView put(
				@Parameter(description = "The merchant's id")
				@PathVariable UUID id, @Valid @RequestBody RateLimitInput input) {
		var period = input.period();
		if (period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(MAX_PERIOD) > 0 || period.getNano() != 0) {
			throw new InvalidFieldException("period", "must be whole seconds between PT1S and P1D");
		}
		requireMerchant(id);
		rateLimits.set(id, new RateLimits.Limit(input.requests(), period));
		return view(id);
	}

	/** Back to the default of {@code helpdesk.rate-limit}. */
	@DeleteMapping("/ops/v1/merchants/{id}/rate-limit")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "resetMerchantRateLimit", summary = "Reset a merchant's rate limit",
			description = "Back to the default of `helpdesk.rate-limit`.")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "Back to the default")
	void reset(@Parameter(description = "The merchant's id") @PathVariable UUID id) {
		requireMerchant(id);
		rateLimits.reset(id);
	}

	private RateLimitView view(UUID id) {
		var limit = rateLimits.limitOf(id);
		return new RateLimitView(limit.requests(), limit.period().toString(), rateLimits.isDefault(id));
	}

	private void requireMerchant(UUID id) {
		var exists = jdbc.sql("SELECT count(*) FROM merchant WHERE id = ?").param(id).query(Long.class).single() > 0;
		if (!exists) {
			throw new NotFoundException("Merchant", id);
		}
	}
}
