package com.acme.helpdesk.sla;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Use case: one sweep of the SLA monitor, inside a transaction holding the transaction-scoped PostgreSQL advisory
 * lock {@link #LOCK_KEY}: a second sweep anywhere in the cluster finds the lock taken and is skipped (counted as
 * {@code helpdesk.sla.sweeps{outcome=skipped}}), so sweeps never overlap.
 */
@Component
class RunSlaMonitor implements JobWorker<SlaMonitorJob> {

	/** The advisory lock of the SLA monitor ("SLA_MON" as a number). */
	static final long LOCK_KEY = 0x534C415F4D4F4EL;

	private static final Logger log = LoggerFactory.getLogger(RunSlaMonitor.class);

	private final JdbcClient jdbc;
	private final TransactionTemplate transactions;
	private final SweepSlaClocks sweep;
	private final MeterRegistry meters;
	private final Clock clock;

	RunSlaMonitor(JdbcClient jdbc, TransactionTemplate transactions, SweepSlaClocks sweep, MeterRegistry meters,
			Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.sweep = sweep;
		this.meters = meters;
		this.clock = clock;
	}

	@Override
	public Class<SlaMonitorJob> jobType() {
		return SlaMonitorJob.class;
	}

	@Override
	public void run(SlaMonitorJob job, JobRun run) {
		var handled = transactions.execute(status -> {
			var locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(LOCK_KEY).query(Boolean.class).single();
			if (!locked) {
				return -1;
			}
			return sweep.sweep(clock.instant());
		});
		var outcome = handled != null && handled >= 0 ? "ran" : "skipped";
		meters.counter("helpdesk.sla.sweeps", "outcome", outcome).increment();
		if ("skipped".equals(outcome)) {
			log.info("SLA monitor sweep skipped: another sweep holds the lock");
		}
	}
}
