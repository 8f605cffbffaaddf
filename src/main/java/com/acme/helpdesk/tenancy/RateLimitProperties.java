package com.acme.helpdesk.tenancy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.rate-limit.*}: what a merchant may send to {@code /api/**} in each process unless the operations
 * API gave it a limit of its own ({@code requests} per {@code period}), and how long a process keeps a merchant's
 * limit before reading it again.
 */
@ConfigurationProperties("helpdesk.rate-limit")
@Validated
record RateLimitProperties(@Min(1) @DefaultValue("100000") long requests, @NotNull @DefaultValue("PT1M") Duration period,
		@NotNull @DefaultValue("PT30S") Duration refreshAfter) {

	RateLimits.Limit defaultLimit() {
		return new RateLimits.Limit(requests, period);
	}
}
