package com.acme.helpdesk.outbox;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.acme.helpdesk.shared.ReplayWindow;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * @param resubmitCron when the cluster-wide job resubmits stale incomplete publications
 * @param resubmitOlderThan the age after which an incomplete publication counts as stale: longer than a
 * listener's worst queueing plus run time, or in-flight events run twice
 * @param purgeCron when completed publications are purged, and incomplete ones given up
 * @param purgeCompletedOlderThan how long completed publications are kept
 * @param purgeIncompleteOlderThan how long an incomplete publication is resubmitted before it is given up (deleted,
 * logged at WARN and counted): at least twice {@code resubmitOlderThan}, so it was resubmitted at least once
 * @param purgeBatchSize publications deleted per statement
 */
@Validated
@ConfigurationProperties("helpdesk.outbox")
record OutboxProperties(@NotBlank @DefaultValue("*/1 * * * *") String resubmitCron,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("PT5M") Duration resubmitOlderThan,
		@NotBlank @DefaultValue("17 * * * *") String purgeCron,
		@NotNull @DurationMin(seconds = 0) @DefaultValue("P7D") Duration purgeCompletedOlderThan,
		@NotNull @DurationMin(seconds = 2) @DefaultValue("P7D") Duration purgeIncompleteOlderThan,
		@Min(1) @Max(100_000) @DefaultValue("1000") int purgeBatchSize) {

	OutboxProperties {
		if (resubmitOlderThan != null && purgeIncompleteOlderThan != null
				&& purgeIncompleteOlderThan.compareTo(resubmitOlderThan.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException(
					"helpdesk.outbox.purge-incomplete-older-than (%s) must be at least twice helpdesk.outbox.resubmit-older-than (%s): an incomplete publication is given up only after it was resubmitted at least once"
						.formatted(ReplayWindow.format(purgeIncompleteOlderThan), ReplayWindow.format(resubmitOlderThan)));
		}
	}
}
