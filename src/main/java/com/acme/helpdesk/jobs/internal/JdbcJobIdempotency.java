package com.acme.helpdesk.jobs.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.JobIdempotency;
import com.acme.helpdesk.jobs.JobRun;

class JdbcJobIdempotency implements JobIdempotency {

	private final JdbcClient jdbc;
	private final TransactionTemplate transactions;
	private final Clock clock;

	JdbcJobIdempotency(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
	}

	@Override
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean claim(JobRun run) {
		return jdbc.sql("""
				INSERT INTO job_idempotency (idempotency_key, job_id, queue, job_name, attempt, recorded_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING""")
			.params(run.idempotencyKey(), run.jobId(), run.queue().queueName(), run.jobName(), run.attempt(),
					Timestamp.from(clock.instant()))
			.update() == 1;
	}

	@Override
	public <R> R once(JobRun run, Supplier<R> sideEffect) {
		return transactions.execute(status -> claim(run) ? sideEffect.get() : null);
	}
}
