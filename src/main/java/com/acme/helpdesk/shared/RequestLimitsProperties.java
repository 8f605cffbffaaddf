package com.acme.helpdesk.shared;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Limits of one request ({@code helpdesk.requests.*}): the body's size, and what a JSON body may hold (nesting depth,
 * characters of one string, items of one array, tokens in all).
 */
@ConfigurationProperties("helpdesk.requests")
@Validated
record RequestLimitsProperties(@NotNull @DefaultValue("1MB") DataSize maxBodySize,
		@Min(4) @Max(1000) @DefaultValue("32") int maxNestingDepth,
		@Min(1000) @DefaultValue("100000") int maxStringLength, @Min(10) @DefaultValue("1000") int maxArrayItems,
		@Min(1000) @DefaultValue("100000") long maxTokenCount) {
}
