package com.acme.helpdesk.tickets;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.enrichment.*}.
 *
 * @param timeout how long a merchant's enrichment endpoint may take to accept the connection, and again for the
 * whole exchange
 */
@Validated
@ConfigurationProperties("helpdesk.enrichment")
record EnrichmentProperties(@NotNull @DurationMin(millis = 1) @DefaultValue("PT2S") Duration timeout) {
}
