package com.acme.helpdesk.notifications;

import java.nio.file.Path;
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
 * {@code helpdesk.notifications.*}: the sender of emails, the digest interval, the webhook time-outs (short: a
 * slow endpoint must not hold a notification worker), how long notifications are kept ({@link NotificationRetention}),
 * and the development mail sink used when no SMTP server is configured ({@link MailConfiguration}).
 *
 * @param devMailDirectory where the development sink writes mail; {@code ~/.helpdesk/mail} when not set
 * @param devMailKeep how many mails the development sink keeps (the oldest go)
 */
@Validated
@ConfigurationProperties("helpdesk.notifications")
record NotificationProperties(@NotBlank @DefaultValue("helpdesk@localhost") String mailFrom,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("PT1H") Duration digestInterval,
		@NotNull @DurationMin(millis = 1) @DefaultValue("PT2S") Duration webhookConnectTimeout,
		@NotNull @DurationMin(millis = 1) @DefaultValue("PT5S") Duration webhookTimeout,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("P90D") Duration retention,
		@NotBlank @DefaultValue("47 * * * *") String purgeCron,
		@Min(1) @Max(100_000) @DefaultValue("1000") int purgeBatchSize, Path devMailDirectory,
		@Min(1) @Max(100_000) @DefaultValue("500") int devMailKeep) {
}
