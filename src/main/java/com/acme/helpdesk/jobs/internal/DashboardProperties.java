package com.acme.helpdesk.jobs.internal;

import java.net.InetAddress;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.dashboard.*}: the JobRunr dashboard's own settings beside JobRunr's ({@code jobrunr.dashboard.*}).
 *
 * @param bindAddress the address the dashboard listens on ({@code 0.0.0.0}: every interface)
 */
@Validated
@ConfigurationProperties("helpdesk.dashboard")
record DashboardProperties(@NotNull @DefaultValue("127.0.0.1") InetAddress bindAddress) {
}
