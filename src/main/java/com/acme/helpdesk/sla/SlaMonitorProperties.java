package com.acme.helpdesk.sla;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** {@code helpdesk.sla-monitor.*}: when the SLA monitor sweeps (a cron of JobRunr's syntax, read in {@code zone}). */
@Validated
@ConfigurationProperties("helpdesk.sla-monitor")
record SlaMonitorProperties(@DefaultValue("* * * * *") @NotBlank String cron,
		@DefaultValue("UTC") @NotNull ZoneId zone) {
}
