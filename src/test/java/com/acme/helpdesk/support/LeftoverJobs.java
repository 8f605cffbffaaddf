package com.acme.helpdesk.support;

import java.util.Collection;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Module tests run no job servers, so the jobs their listeners publish stay waiting; they are removed after the test
 * class, or the job servers of later test classes in this JVM would run them (and a job of a ticket that exists only
 * as an event would end as their dead letter).
 */
public final class LeftoverJobs {

	private LeftoverJobs() {
	}

	/** Deletes the waiting jobs of the merchants' tickets. */
	public static void discard(JdbcClient jdbc, Collection<UUID> merchantIds) {
		for (var merchantId : merchantIds) {
			jdbc.sql("DELETE FROM jobrunr_jobs WHERE state IN ('AWAITING', 'SCHEDULED', 'ENQUEUED') AND jobAsJson LIKE ?")
				.param("%" + merchantId + "%")
				.update();
		}
	}
}
