package com.acme.helpdesk.shared;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.database.*}: how long a request (or listener, or job) waits for a database connection before it
 * fails (Hikari's {@code connectionTimeout}; a request then answers 503 with {@code Retry-After}), and the
 * {@code Retry-After} it sends.
 */
@ConfigurationProperties("helpdesk.database")
@Validated
record DatabaseProperties(
		// Hikari refuses less than 250 ms
		@NotNull @DurationMin(millis = 250) @DurationMax(minutes = 5) @DefaultValue("2s") Duration connectionTimeout,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("5s") Duration retryAfter) {
}
