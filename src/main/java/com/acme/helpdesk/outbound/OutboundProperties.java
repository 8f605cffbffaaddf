package com.acme.helpdesk.outbound;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.outbound.*}.
 *
 * @param allow {@code host:port} pairs and CIDR ranges (optionally {@code <cidr>:<port>}, IPv6 as
 * {@code [<cidr>]:<port>}) that merchants' URLs may reach although they are private (development, tests,
 * on-premise installs); comma-separated in {@code HELPDESK_OUTBOUND_ALLOW}, empty by default
 * @param merchantShare the share of a queue's workers (in one process) that calls to one merchant's endpoints may
 * hold at once; at least one worker
 * @param postponeDelay how long a job waits when its merchant holds its share
 */
@Validated
@ConfigurationProperties("helpdesk.outbound")
record OutboundProperties(@DefaultValue("") List<String> allow,
		@DefaultValue("0.33") @DecimalMin("0.01") @DecimalMax("1.0") double merchantShare,
		@DefaultValue("PT2S") @NotNull Duration postponeDelay) {
}
