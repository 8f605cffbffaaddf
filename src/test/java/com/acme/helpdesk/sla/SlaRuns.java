package com.acme.helpdesk.sla;

import java.time.Clock;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * For tests of other modules: runs the SLA monitor's sweep and the due escalation levels of a merchant now (as the
 * {@code sla-monitor} and {@code escalation} jobs would), without job servers.
 */
public final class SlaRuns {

	private final SweepSlaClocks sweep;
	private final ProcessEscalation escalation;
	private final JdbcClient jdbc;
	private final Clock clock;

	public SlaRuns(ApplicationContext context) {
		this.sweep = context.getBean(SweepSlaClocks.class);
		this.escalation = context.getBean(ProcessEscalation.class);
		this.jdbc = context.getBean(JdbcClient.class);
		this.clock = context.getBean(Clock.class);
	}

	/** One sweep at the clock's now; answers the clocks it warned or breached. */
	public int sweep() {
		return sweep.sweep(clock.instant());
	}

	/** Runs the next level of each active escalation of the merchant whose delay has passed; answers how many ran. */
	public int escalateDue(UUID merchantId) {
		var due = jdbc.sql("SELECT ticket_id, next_level FROM sla_escalation WHERE merchant_id = ? AND state = 'ACTIVE'")
			.param(merchantId)
			.query((rs, row) -> new Object[] { rs.getObject(1, UUID.class), rs.getInt(2) })
			.list();
		int ran = 0;
		for (var row : due) {
			if (escalation.escalate(merchantId, (UUID) row[0], (Integer) row[1])) {
				ran++;
			}
		}
		return ran;
	}
}
