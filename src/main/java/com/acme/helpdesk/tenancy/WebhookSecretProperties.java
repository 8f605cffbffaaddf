package com.acme.helpdesk.tenancy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code helpdesk.webhooks.*}: how long a rotated webhook secret keeps signing next to the new one. */
@ConfigurationProperties("helpdesk.webhooks")
record WebhookSecretProperties(@DefaultValue("P1D") Duration secretOverlap) {
}
