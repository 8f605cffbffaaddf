package com.acme.helpdesk.jobs.internal;

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
 * What the queue layer keeps of finished jobs (see {@code docs/operations.md}, Retention).
 *
 * @param deadLetterRetention how long a dead letter and its {@code FAILED} job are kept (and can be requeued)
 * @param idempotencyRetention how long a job's recorded idempotency key is kept: at least {@link JobRerunWindow}
 * (checked at start-up)
 * @param purgeCron when the cluster-wide purge job runs
 * @param purgeBatchSize rows deleted per statement
 */
@Validated
@ConfigurationProperties("helpdesk.jobs")
record JobRetentionProperties(@NotNull @DurationMin(seconds = 1) @DefaultValue("P14D") Duration deadLetterRetention,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("P18D") Duration idempotencyRetention,
		@NotBlank @DefaultValue("37 * * * *") String purgeCron,
		@Min(1) @Max(100_000) @DefaultValue("1000") int purgeBatchSize) {
}
