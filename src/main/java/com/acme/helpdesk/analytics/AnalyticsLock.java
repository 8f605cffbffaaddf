package com.acme.helpdesk.analytics;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * One analytics writer per merchant at a time: a transaction-scoped advisory lock on {@code "analytics|<merchant>"}.
 * The incremental update ({@link #tryLock}: it never waits) and the rebuild ({@link #lock}) take it, so no two
 * transactions recount one ticket or write one bucket row at once. And one publisher per slice job at a time
 * ({@link #trySlices}).
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

	/**
	 * Takes the merchant's lock if no other transaction holds it, without waiting (then until the end of the caller's
	 * transaction); answers whether it did. A statement waiting for a lock holds its snapshot, and a job waiting holds
	 * a worker: under load, update jobs that waited for each other slowed every claim of the job table.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	boolean tryLock(UUID merchantId) {
		return jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")
			.param("analytics|" + merchantId)
			.query(Boolean.class)
			.single();
	}

	/**
	 * The jobs of {@code jobIds} whose publication lock ({@code "analytics-job|<id>"}, until the end of the caller's
	 * transaction) this transaction got without waiting. A job whose lock another transaction holds is being published
	 * by it: inserting it here too would wait for that commit.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	List<UUID> trySlices(Collection<UUID> jobIds) {
		if (jobIds.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("""
				SELECT id FROM unnest(?::uuid[]) AS job (id)
				WHERE pg_try_advisory_xact_lock(hashtextextended('analytics-job|' || id, 0))""")
			.param(jobIds.toArray(UUID[]::new))
			.query(UUID.class)
			.list();
	}
}
