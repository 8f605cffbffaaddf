package com.acme.helpdesk.shared;

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
 * {@code helpdesk.processed-events.*}: how long listeners' records of the events they handled are kept (tables
 * {@code processed_event} of this module and {@code sla_processed_event} of {@code sla}, each purged by its module),
 * at least as long as the outbox may deliver an event again ({@link EventRedelivery}, checked at start-up).
 *
 * @param retention how long a record is kept after the event was handled
 * @param purgeCron when the cluster-wide purge jobs run
 * @param purgeBatchSize records deleted per statement
 */
@Validated
@ConfigurationProperties("helpdesk.processed-events")
public record ProcessedEventProperties(@NotNull @DurationMin(seconds = 1) @DefaultValue("P8D") Duration retention,
		@NotBlank @DefaultValue("7 * * * *") String purgeCron,
		@Min(1) @Max(100_000) @DefaultValue("1000") int purgeBatchSize) {
}
