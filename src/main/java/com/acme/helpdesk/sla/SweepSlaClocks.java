package com.acme.helpdesk.sla;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;


/**
 * Use case: the SLA monitor's sweep (called by {@code RunSlaMonitor} inside the transaction holding the monitor's
 * advisory lock). In batches, first warnings then breaches:
 * <ol>
 * <li>claims running clocks whose {@code warn_at} (resp. {@code due_at}) has passed and that are not flagged, through
 * the partial indexes {@code sla_clock_warning_due_idx} / {@code sla_clock_breach_due_idx}, with
 * {@code FOR UPDATE SKIP LOCKED} (a clock being paused or stopped right now waits for the next sweep);</li>
 * <li>flags them ({@code warned} / {@code breached}) in the same statement and publishes {@link SlaWarning} /
 * {@link SlaBreached} for each: flag and events commit together, so each fires exactly once per clock and cycle,
 * however often or concurrently sweeps run;</li>
 * <li>for breached tickets of merchants with an escalation policy, opens an escalation (at most one active per
 * ticket) in the same statement, and publishes {@link EscalationsOpened} per merchant and chunk, whose listener
 * enqueues the {@code escalation-batch} job after commit.</li>
 * </ol>
 * A breach is flagged only after the clock's warning: a sweep flags warnings first, so both fire in order.
 * The work of one sweep is bounded by {@link SlaSweepProperties#sweepLimit()}; the rest waits for the next sweep.
 */
@Component
class SweepSlaClocks {

	private static final Logger log = LoggerFactory.getLogger(SweepSlaClocks.class);

	private static final String WARN = """
			WITH due AS (
			  SELECT id FROM sla_clock
			  WHERE state = 'RUNNING' AND NOT warned AND warn_at <= ?
			  ORDER BY warn_at LIMIT ? FOR UPDATE SKIP LOCKED)
			UPDATE sla_clock c SET warned = TRUE, version = c.version + 1
			FROM due WHERE c.id = due.id
			RETURNING c.id, c.merchant_id, c.ticket_id, c.metric, c.cycle, c.warn_at, c.due_at""";

	private static final String BREACH = """
			WITH due AS (
			  SELECT id FROM sla_clock
			  WHERE state = 'RUNNING' AND NOT breached AND due_at <= ? AND warned
			  ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED),
			breached AS (
			  UPDATE sla_clock c SET breached = TRUE, breached_at = c.due_at, version = c.version + 1
			  FROM due WHERE c.id = due.id
			  RETURNING c.id, c.merchant_id, c.ticket_id, c.metric, c.cycle, c.warn_at, c.due_at),
			opened AS (
			  INSERT INTO sla_escalation (id, merchant_id, ticket_id, breached_at, next_level, state, created_at, updated_at)
			  SELECT gen_random_uuid(), b.merchant_id, b.ticket_id, min(b.due_at), 1, 'ACTIVE', ?, ?
			  FROM breached b
			  WHERE EXISTS (SELECT 1 FROM escalation_policy p WHERE p.merchant_id = b.merchant_id AND p.levels <> '[]')
			  GROUP BY b.merchant_id, b.ticket_id
			  ON CONFLICT (ticket_id) WHERE state = 'ACTIVE' DO NOTHING
			  RETURNING ticket_id)
			SELECT b.*, (o.ticket_id IS NOT NULL) AS escalation_opened
			FROM breached b LEFT JOIN opened o ON o.ticket_id = b.ticket_id""";

	record Due(UUID clockId, UUID merchantId, UUID ticketId, SlaMetric metric, int cycle, Instant warnAt,
			Instant dueAt, boolean escalationOpened) {

		static Due map(ResultSet rs, boolean breach) throws SQLException {
			return new Due(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
					rs.getObject("ticket_id", UUID.class), SlaMetric.valueOf(rs.getString("metric")), rs.getInt("cycle"),
					instant(rs, "warn_at"), instant(rs, "due_at"), breach && rs.getBoolean("escalation_opened"));
		}

		private static Instant instant(ResultSet rs, String column) throws SQLException {
			var value = rs.getTimestamp(column);
			return value == null ? null : value.toInstant();
		}
	}

	private final JdbcClient jdbc;
	private final ApplicationEventPublisher events;
	private final int batchSize;
	private final int sweepLimit;
	private final int escalationBatchSize;

	SweepSlaClocks(JdbcClient jdbc, ApplicationEventPublisher events, SlaSweepProperties properties) {
		this.jdbc = jdbc;
		this.events = events;
		this.batchSize = properties.sweepBatchSize();
		this.sweepLimit = properties.sweepLimit();
		this.escalationBatchSize = properties.escalationBatchSize();
	}

	@Transactional
	public int sweep(Instant now) {
		var at = Timestamp.from(now);
		int warnings = 0;
		while (warnings < sweepLimit) {
			var batch = jdbc.sql(WARN).params(at, Math.min(batchSize, sweepLimit - warnings))
				.query((rs, n) -> Due.map(rs, false)).list();
			for (var due : batch) {
				events.publishEvent(new SlaWarning(UUID.randomUUID(), due.ticketId(), due.merchantId(), due.clockId(),
						due.metric(), due.cycle(), due.warnAt(), due.dueAt(), now));
			}
			warnings += batch.size();
			if (batch.size() < batchSize) {
				break;
			}
		}
		int breaches = 0;
		var opened = new LinkedHashMap<UUID, Set<UUID>>();
		while (warnings + breaches < sweepLimit) {
			var batch = jdbc.sql(BREACH).params(at, Math.min(batchSize, sweepLimit - warnings - breaches), at, at)
				.query((rs, n) -> Due.map(rs, true)).list();
			for (var due : batch) {
				events.publishEvent(new SlaBreached(UUID.randomUUID(), due.ticketId(), due.merchantId(), due.clockId(),
						due.metric(), due.cycle(), due.dueAt(), now));
				if (due.escalationOpened()) {
					opened.computeIfAbsent(due.merchantId(), m -> new LinkedHashSet<>()).add(due.ticketId());
				}
			}
			breaches += batch.size();
			if (batch.size() < batchSize) {
				break;
			}
		}
		opened.forEach((merchantId, ticketIds) -> {
			var ids = new ArrayList<>(ticketIds);
			for (int i = 0; i < ids.size(); i += escalationBatchSize) {
				events.publishEvent(new EscalationsOpened(UUID.randomUUID(), merchantId,
						List.copyOf(ids.subList(i, Math.min(ids.size(), i + escalationBatchSize)))));
			}
		});
		if (warnings + breaches > 0) {
			log.info("SLA sweep at {}: {} warnings, {} breaches, escalations opened for {} tickets", now, warnings,
					breaches, opened.values().stream().mapToInt(Set::size).sum());
		}
		return warnings + breaches;
	}
}
