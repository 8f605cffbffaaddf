package com.acme.helpdesk.notifications;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.notifications.*}: the sender of emails, the digest interval, and the webhook time-outs (short: a
 * slow endpoint must not hold a notification worker).
 */
@Validated
@ConfigurationProperties("helpdesk.notifications")
record NotificationProperties(@NotBlank @DefaultValue("helpdesk@localhost") String mailFrom,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("PT1H") Duration digestInterval,
		@NotNull @DurationMin(millis = 1) @DefaultValue("PT2S") Duration webhookConnectTimeout,
		@NotNull @DurationMin(millis = 1) @DefaultValue("PT5S") Duration webhookTimeout) {
}
