package com.acme.helpdesk.sla;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the SLA clocks and escalations of tickets did, for recounting them (analytics), read in batch for many tickets
 * of one merchant: per clock its business hours and every cycle (finished ones and the current one) with its outcome,
 * and the times escalation levels ran.
 */
@Service
public class SlaTimelines {

	/** A ticket's clocks (none without a policy) and the instants its escalation levels ran, in order. */
	public record TicketSla(UUID ticketId, List<ClockTimeline> clocks, List<Instant> escalations) {
	}

	/** One clock: {@code businessHours} is {@code null} for a clock that runs around the clock. */
	public record ClockTimeline(SlaMetric metric, BusinessHours businessHours, List<Cycle> cycles) {
	}

	/**
	 * One cycle of a clock (1 until the first reopen): {@code breached} when the SLA monitor found it past
	 * {@code dueAt} while running; {@code stoppedAt} {@code null} while it runs or is paused.
	 */
	public record Cycle(int cycle, Instant startedAt, Instant dueAt, boolean breached, Instant stoppedAt) {
	}

	private final JdbcClient jdbc;

	SlaTimelines(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The SLA timelines of the merchant's tickets among {@code ticketIds} (absent: no clock, no escalation). */
	@Transactional(readOnly = true)
	public Map<UUID, TicketSla> of(UUID merchantId, Collection<UUID> ticketIds) {
		if (ticketIds.isEmpty()) {
			return Map.of();
		}
		var ids = ticketIds.toArray(UUID[]::new);
		var archived = new HashMap<UUID, List<Cycle>>();
		jdbc.sql("""
				SELECT clock_id, cycle, started_at, due_at, breached, stopped_at FROM sla_clock_cycle
				WHERE ticket_id = ANY (?) AND merchant_id = ?""")
			.params(ids, merchantId)
			.query(rs -> {
				archived.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(cycle(rs));
			});
		var clocks = new HashMap<UUID, List<ClockTimeline>>();
		var calendars = new HashMap<String, BusinessHours>();
		jdbc.sql("""
				SELECT id, cycle, started_at, due_at, breached, stopped_at, ticket_id, metric, business_hours FROM sla_clock
				WHERE ticket_id = ANY (?) AND merchant_id = ? ORDER BY ticket_id, metric""")
			.params(ids, merchantId)
			.query(rs -> {
				var cycles = new ArrayList<>(archived.getOrDefault(rs.getObject(1, UUID.class), List.of()));
				cycles.add(cycle(rs));
				cycles.sort(Comparator.comparingInt(Cycle::cycle));
				clocks.computeIfAbsent(rs.getObject(7, UUID.class), id -> new ArrayList<>())
					.add(new ClockTimeline(SlaMetric.valueOf(rs.getString(8)), calendar(calendars, rs.getString(9)),
							List.copyOf(cycles)));
			});
		var escalations = new HashMap<UUID, List<Instant>>();
		jdbc.sql("""
				SELECT ticket_id, occurred_at FROM sla_escalation_level
				WHERE ticket_id = ANY (?) AND merchant_id = ? ORDER BY ticket_id, occurred_at, level""")
			.params(ids, merchantId)
			.query(rs -> {
				escalations.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(instant(rs, 2));
			});
		var timelines = new HashMap<UUID, TicketSla>();
		for (var id : ticketIds) {
			var ticketClocks = clocks.get(id);
			var ticketEscalations = escalations.get(id);
			if (ticketClocks != null || ticketEscalations != null) {
				timelines.put(id, new TicketSla(id, ticketClocks == null ? List.of() : List.copyOf(ticketClocks),
						ticketEscalations == null ? List.of() : List.copyOf(ticketEscalations)));
			}
		}
		return timelines;
	}

	/** Many clocks share a policy's calendar: each one is parsed once per call. */
	private static BusinessHours calendar(Map<String, BusinessHours> parsed, String json) {
		return json == null ? null : parsed.computeIfAbsent(json, BusinessHoursJson::read);
	}

	private static Cycle cycle(ResultSet rs) throws SQLException {
		return new Cycle(rs.getInt(2), instant(rs, 3), instant(rs, 4), rs.getBoolean(5), instant(rs, 6));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		var value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}
}
