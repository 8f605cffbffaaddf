package com.acme.helpdesk.jobs;

import java.time.Instant;

/**
 * The SLA monitor's sweep, implemented by the {@code sla} module as a bean. It runs inside a transaction that holds
 * the PostgreSQL advisory lock of the SLA monitor, so two sweeps never overlap, across processes too; a sweep that
 * finds the lock taken is skipped. Without a bean the sweep does nothing.
 */
public interface SlaSweep {

	/** Handles the clocks due at {@code now}; answers how many it handled. */
	int sweep(Instant now);
}
