package com.acme.helpdesk.shared;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.shutdown.*}.
 *
 * @param delay how long the process keeps serving after SIGTERM, readiness DOWN, before it stops taking requests
 * ({@link ShutdownOrder})
 */
@ConfigurationProperties("helpdesk.shutdown")
@Validated
record ShutdownProperties(@NotNull @DurationMin(seconds = 0) @DurationMax(minutes = 5) @DefaultValue("0s") Duration delay) {
}
