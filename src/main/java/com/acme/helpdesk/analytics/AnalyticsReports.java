package com.acme.helpdesk.analytics;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.analytics.Measures.Backlog;
import com.acme.helpdesk.analytics.Measures.Csat;
import com.acme.helpdesk.analytics.Measures.Durations;
import com.acme.helpdesk.analytics.Measures.Sla;

/**
 * The three reports (summary, time series, breakdown) over the kept buckets: a range is read as the fewest whole
 * buckets covering it ({@link BucketSpan#covering}), and their figures are summed here.
 */
@Component
class AnalyticsReports {

	/** Whose figures a report reads: the whole merchant, or one key of a dimension (an agent key's own agent). */
	record Scope(UUID merchantId, Dimension dimension, String key) {

		static Scope merchant(UUID merchantId) {
			return new Scope(merchantId, Dimension.MERCHANT, "");
		}

		static Scope agent(UUID merchantId, UUID agentId) {
			return new Scope(merchantId, Dimension.AGENT, agentId.toString());
		}
	}

	/** From {@code from} (inclusive) to {@code to} (exclusive), on quarter hours, read in {@code zone}. */
	record Range(Instant from, Instant to, ZoneId zone) {
	}

	record Summary(String from, String to, String timeZone, long ticketsCreated, long ticketsResolved,
			long ticketsReopened, long ticketsClosed, long customerMessages, long agentReplies,
			Durations firstResponseSeconds, Durations resolutionSeconds, Durations businessFirstResponseSeconds,
			Durations businessResolutionSeconds, Sla sla, long escalations, Csat csat, Backlog backlog) {
	}

	record Point(String start, Number value) {
	}

	record Timeseries(String metric, String groupBy, String timeZone, List<Point> points) {
	}

	record BreakdownRow(String key, long ticketsCreated, long ticketsResolved, long ticketsReopened, long ticketsClosed,
			long customerMessages, long agentReplies, Durations firstResponseSeconds, Durations resolutionSeconds,
			Durations businessFirstResponseSeconds, Durations businessResolutionSeconds, Sla sla, long escalations,
			Csat csat) {

		static BreakdownRow of(String key, Measures m) {
			return new BreakdownRow(key, m.count(Figure.CREATED), m.count(Figure.RESOLVED), m.count(Figure.REOPENED),
					m.count(Figure.CLOSED), m.count(Figure.CUSTOMER_MESSAGES), m.count(Figure.AGENT_REPLIES),
					m.durations(DurationMetric.FIRST_RESPONSE), m.durations(DurationMetric.RESOLUTION),
					m.durations(DurationMetric.BUSINESS_FIRST_RESPONSE), m.durations(DurationMetric.BUSINESS_RESOLUTION),
					m.sla(), m.count(Figure.ESCALATIONS), m.csat());
		}
	}

	record Breakdown(String by, List<BreakdownRow> rows) {
	}

	private static final DateTimeFormatter OFFSET_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

	/** Before and after every bucket: the bounds of "all months". */
	private static final Instant EARLIEST = Instant.EPOCH;
	private static final Instant LATEST = Instant.parse("9999-12-01T00:00:00Z");

	private final AnalyticsBuckets buckets;

	AnalyticsReports(AnalyticsBuckets buckets) {
		this.buckets = buckets;
	}

	@Transactional(readOnly = true)
	Summary summary(Scope scope, Range range) {
		var figures = new Figures();
		buckets.read(scope.merchantId(), scope.dimension(), scope.key(), refs(range.from(), range.to()))
			.values()
			.forEach(row -> figures.add(row, 1));
		var now = Backlog.of(monthsBefore(scope, LATEST));
		var m = new Measures(figures, now);
		return new Summary(format(range.from(), range.zone()), format(range.to(), range.zone()), range.zone().getId(),
				m.count(Figure.CREATED), m.count(Figure.RESOLVED), m.count(Figure.REOPENED), m.count(Figure.CLOSED),
				m.count(Figure.CUSTOMER_MESSAGES), m.count(Figure.AGENT_REPLIES),
				m.durations(DurationMetric.FIRST_RESPONSE), m.durations(DurationMetric.RESOLUTION),
				m.durations(DurationMetric.BUSINESS_FIRST_RESPONSE), m.durations(DurationMetric.BUSINESS_RESOLUTION),
				m.sla(), m.count(Figure.ESCALATIONS), m.csat(), now);
	}

	/**
	 * One point per period of {@code periods} (consecutive, covering the range); the backlog metrics are the value at
	 * each point's end.
	 */
	@Transactional(readOnly = true)
	Timeseries timeseries(Scope scope, Range range, String metric, Grouping grouping, List<Grouping.Period> periods) {
		var pointOf = new EnumMap<BucketLevel, Map<Instant, Integer>>(BucketLevel.class);
		var starts = new ArrayList<Instant>();
		for (int i = 0; i < periods.size(); i++) {
			var period = periods.get(i);
			starts.add(period.start().toInstant());
			for (var span : BucketSpan.covering(period.start().toInstant(), period.end())) {
				var points = pointOf.computeIfAbsent(span.level(), level -> new HashMap<>());
				for (var start : span.starts()) {
					points.put(start, i);
				}
			}
		}
		var figures = new ArrayList<Figures>();
		periods.forEach(p -> figures.add(new Figures()));
		// per level, every row from its first to its last bucket: rows between that belong to no point are skipped
		pointOf.forEach((level, points) -> {
			var first = points.keySet().stream().min(Comparator.naturalOrder()).orElseThrow();
			var last = points.keySet().stream().max(Comparator.naturalOrder()).orElseThrow();
			buckets.readLevel(scope.merchantId(), scope.dimension(), scope.key(), level, first, level.next(last))
				.forEach((bucket, row) -> {
					var point = points.get(bucket.start());
					if (point != null) {
						figures.get(point).add(row, 1);
					}
				});
		});
		var backlog = metric.startsWith("backlog.") ? backlogAt(scope, range.from()) : null;
		var points = new ArrayList<Point>();
		for (int i = 0; i < periods.size(); i++) {
			if (backlog != null) {
				backlog.add(figures.get(i), 1);
			}
			var m = new Measures(figures.get(i), backlog == null ? null : Backlog.of(backlog));
			points.add(new Point(OFFSET_TIME.format(periods.get(i).start()), m.field(metric)));
		}
		return new Timeseries(metric, grouping.parameterValue(), range.zone().getId(), points);
	}

	/** Rows of the keys with any figure in the range (backlog changes aside), by key; only {@code onlyKey}'s if given. */
	@Transactional(readOnly = true)
	Breakdown breakdown(UUID merchantId, Dimension by, String onlyKey, Range range) {
		var byKey = new TreeMap<String, Figures>();
		buckets.read(merchantId, by, onlyKey, refs(range.from(), range.to()))
			.forEach((bucket, row) -> byKey.computeIfAbsent(bucket.key(), key -> new Figures()).add(row, 1));
		var rows = new ArrayList<BreakdownRow>();
		byKey.forEach((key, figures) -> {
			if (hasFiguresBesidesBacklog(figures)) {
				rows.add(BreakdownRow.of(key, new Measures(figures, null)));
			}
		});
		return new Breakdown(by.name().toLowerCase(java.util.Locale.ROOT), rows);
	}

	/** The backlog changes before {@code instant}: whole months, then the buckets of its month up to it. */
	private Figures backlogAt(Scope scope, Instant instant) {
		var month = BucketLevel.MONTH.floor(instant);
		var changes = monthsBefore(scope, month);
		if (month.isBefore(instant)) {
			buckets.read(scope.merchantId(), scope.dimension(), scope.key(), refs(month, instant))
				.values()
				.forEach(row -> changes.add(row, 1));
		}
		return changes;
	}

	/** The sum of the month buckets before {@code end}: the backlog counters of it are the backlog at {@code end}. */
	private Figures monthsBefore(Scope scope, Instant end) {
		var sum = new Figures();
		buckets.readLevel(scope.merchantId(), scope.dimension(), scope.key(), BucketLevel.MONTH, EARLIEST, end)
			.values()
			.forEach(row -> sum.add(row, 1));
		return sum;
	}

	private static List<BucketRef> refs(Instant from, Instant to) {
		var refs = new ArrayList<BucketRef>();
		for (var span : BucketSpan.covering(from, to)) {
			span.starts().forEach(start -> refs.add(new BucketRef(span.level(), start)));
		}
		return refs;
	}

	private static boolean hasFiguresBesidesBacklog(Figures figures) {
		for (var figure : Figure.values()) {
			if (figure != Figure.OPEN_CHANGE && figure != Figure.PENDING_CHANGE && figure != Figure.UNASSIGNED_CHANGE
					&& figures.get(figure) != 0) {
				return true;
			}
		}
		return false;
	}

	static String format(Instant instant, ZoneId zone) {
		return OFFSET_TIME.format((TemporalAccessor) instant.atZone(zone));
	}
}
