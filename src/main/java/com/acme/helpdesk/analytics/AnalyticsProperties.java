package com.acme.helpdesk.analytics;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.analytics.*}: the longest range one report reads ({@code max-range}) and the most points a time
 * series answers ({@code max-points}).
 */
@Validated
@ConfigurationProperties("helpdesk.analytics")
record AnalyticsProperties(@NotNull @DurationMin(minutes = 15) @DefaultValue("P400D") Duration maxRange,
		@Min(1) @Max(1_000_000) @DefaultValue("10000") int maxPoints) {
}
