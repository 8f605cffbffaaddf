package com.acme.helpdesk.notifications;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code helpdesk.notifications.*}: the sender of emails, the digest interval, and the webhook time-outs (short: a
 * slow endpoint must not hold a notification worker).
 */
@ConfigurationProperties("helpdesk.notifications")
record NotificationProperties(@DefaultValue("helpdesk@localhost") String mailFrom,
		@DefaultValue("PT1H") Duration digestInterval, @DefaultValue("PT2S") Duration webhookConnectTimeout,
		@DefaultValue("PT5S") Duration webhookTimeout) {
}
