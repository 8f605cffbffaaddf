package com.acme.helpdesk.analytics;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.analytics.*}: whether events keep the figures up to date ({@code enabled}; off, the listeners do
 * nothing and figures stand still until a rebuild), how many tickets one recount transaction takes
 * ({@code batch-size}), and when the straggler sweep looks for tickets left dirty ({@code stragglers-cron}, UTC) and
 * how old a marker must be to count as one ({@code straggler-age}); for the reports, the longest range one request
 * reads ({@code max-range}) and the most points a time series answers ({@code max-points}).
 */
@Validated
@ConfigurationProperties("helpdesk.analytics")
record AnalyticsProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("500") @Min(1) @Max(10000) int batchSize,
		@DefaultValue("* * * * *") @NotBlank String stragglersCron,
		@DefaultValue("PT1M") @NotNull @DurationMin(seconds = 1) Duration stragglerAge,
		@DefaultValue("P400D") @NotNull @DurationMin(minutes = 15) Duration maxRange,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxPoints) {
}
