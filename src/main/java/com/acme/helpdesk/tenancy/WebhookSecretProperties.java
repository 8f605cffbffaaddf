package com.acme.helpdesk.tenancy;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/** {@code helpdesk.webhooks.*}: how long a rotated webhook secret keeps signing next to the new one. */
@Validated
@ConfigurationProperties("helpdesk.webhooks")
record WebhookSecretProperties(@NotNull @DurationMin(seconds = 0) @DefaultValue("P1D") Duration secretOverlap) {
}
