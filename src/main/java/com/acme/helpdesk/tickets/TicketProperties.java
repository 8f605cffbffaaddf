package com.acme.helpdesk.tickets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * {@code helpdesk.tickets.*}.
 *
 * @param maxContextBytes the largest {@code context} (JSON, UTF-8 bytes) a ticket may be created with; larger ones
 * answer 400
 */
@Validated
@ConfigurationProperties("helpdesk.tickets")
record TicketProperties(@Min(2) @DefaultValue("16384") int maxContextBytes) {
}
