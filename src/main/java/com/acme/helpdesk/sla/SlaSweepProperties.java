package com.acme.helpdesk.sla;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * {@code helpdesk.sla.*}: how much one sweep of the SLA monitor does ({@link SweepSlaClocks}).
 *
 * @param sweepBatchSize clocks claimed per statement
 * @param sweepLimit clocks flagged per sweep at most; the rest waits for the next sweep
 * @param escalationBatchSize tickets per {@code escalation-batch} job
 */
@Validated
@ConfigurationProperties("helpdesk.sla")
record SlaSweepProperties(@Min(1) @DefaultValue("1000") int sweepBatchSize,
		@Min(1) @DefaultValue("100000") int sweepLimit, @Min(1) @DefaultValue("100") int escalationBatchSize) {
}
