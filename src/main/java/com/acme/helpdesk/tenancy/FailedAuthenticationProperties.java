package com.acme.helpdesk.tenancy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.failed-authentication.*}: a client address may present {@code failures} wrong API keys or
 * operations tokens per {@code window}; beyond that its authenticated requests answer 429 until the window ends.
 */
@ConfigurationProperties("helpdesk.failed-authentication")
@Validated
record FailedAuthenticationProperties(@Min(1) @DefaultValue("50") int failures,
		@NotNull @DefaultValue("PT1M") Duration window) {
}
