package com.acme.helpdesk.analytics;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * One analytics writer per merchant at a time: a transaction-scoped advisory lock on {@code "analytics|<merchant>"}.
 * The incremental update and the rebuild take it, so no two transactions recount one ticket or write one bucket row
 * at once.
 */
@Component
class AnalyticsLock {

	private final JdbcClient jdbc;

	AnalyticsLock(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Waits for the merchant's lock; it is released when the caller's transaction ends. */
	@Transactional(propagation = Propagation.MANDATORY)
	void lock(UUID merchantId) {
		jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")
			.param("analytics|" + merchantId)
			.query()
			.singleValue();
	}
}
