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

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * A merchant's rate limit on {@code /api/**} (operations token): {@code requests} per {@code period}, per process.
 * Other processes apply a change within {@code helpdesk.rate-limit.refresh-after}.
 */
@RestController
class RateLimitController {

	static final Duration MAX_PERIOD = Duration.ofDays(1);

	record RateLimitInput(@NotNull @Min(1) @Max(1_000_000_000) Long requests, @NotNull Duration period) {
	}

	record RateLimitView(long requests, String period, boolean usesDefault) {
	}

	private final RateLimits rateLimits;
	private final JdbcClient jdbc;

	RateLimitController(RateLimits rateLimits, JdbcClient jdbc) {
		this.rateLimits = rateLimits;
		this.jdbc = jdbc;
	}

	@GetMapping("/ops/v1/merchants/{id}/rate-limit")
	RateLimitView get(@PathVariable UUID id) {
		requireMerchant(id);
		return view(id);
	}

	@PutMapping("/ops/v1/merchants/{id}/rate-limit")
	RateLimitView put(@PathVariable UUID id, @Valid @RequestBody RateLimitInput input) {
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
	void reset(@PathVariable UUID id) {
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
