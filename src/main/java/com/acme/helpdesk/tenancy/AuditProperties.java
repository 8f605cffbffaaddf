package com.acme.helpdesk.tenancy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * @param retention how long audit events are kept
 * @param purgeCron when the cluster-wide job deletes older ones
 * @param purgeBatchSize rows deleted per statement (small batches keep locks and WAL bursts short)
 */
@Validated
@ConfigurationProperties("helpdesk.audit")
record AuditProperties(@NotNull @DefaultValue("P365D") Duration retention,
		@NotBlank @DefaultValue("43 3 * * *") String purgeCron,
		@Min(1) @Max(100_000) @DefaultValue("1000") int purgeBatchSize) {

	AuditProperties {
		if (retention != null && (retention.isNegative() || retention.isZero())) {
			throw new IllegalArgumentException("helpdesk.audit.retention must be positive");
		}
	}
}
