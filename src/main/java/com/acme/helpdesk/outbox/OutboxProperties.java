package com.acme.helpdesk.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param resubmitCron when the cluster-wide job resubmits stale incomplete publications
 * @param resubmitOlderThan the age after which an incomplete publication counts as stale: longer than a
 * listener's worst queueing plus run time, or in-flight events run twice
 * @param purgeCron when completed publications are purged
 * @param purgeCompletedOlderThan how long completed publications are kept
 */
@ConfigurationProperties("helpdesk.outbox")
record OutboxProperties(String resubmitCron, Duration resubmitOlderThan, String purgeCron,
		Duration purgeCompletedOlderThan) {
}
