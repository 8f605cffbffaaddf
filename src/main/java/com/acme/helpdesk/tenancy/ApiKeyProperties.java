package com.acme.helpdesk.tenancy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * @param resolutionCache how long a process keeps a resolved key without asking the database again: a revoked key
 * still works this long in other processes than the one that revoked it (at most 2 s)
 * @param lastUsedPrecision a key's {@code lastUsedAt} is written at most this often per key and process
 */
@Validated
@ConfigurationProperties("helpdesk.api-keys")
record ApiKeyProperties(@NotNull @DefaultValue("PT1S") Duration resolutionCache,
		@NotNull @DefaultValue("PT1M") Duration lastUsedPrecision) {

	ApiKeyProperties {
		if (resolutionCache.isNegative() || resolutionCache.compareTo(Duration.ofSeconds(2)) > 0) {
			throw new IllegalArgumentException("helpdesk.api-keys.resolution-cache must be between PT0S and PT2S");
		}
		if (lastUsedPrecision.isNegative()) {
			throw new IllegalArgumentException("helpdesk.api-keys.last-used-precision must not be negative");
		}
	}
}
