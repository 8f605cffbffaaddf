package com.acme.helpdesk.analytics;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.swagger.v3.oas.annotations.media.Schema;

import com.acme.helpdesk.analytics.Measures.Backlog;
import com.acme.helpdesk.analytics.Measures.Csat;
import com.acme.helpdesk.analytics.Measures.Durations;
import com.acme.helpdesk.analytics.Measures.Sla;

/**
 * The three reports (summary, time series, breakdown) over the kept buckets: a range is read as the fewest whole
 * buckets added and taken away ({@link SignedBuckets#covering}), and their figures are summed here.
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

	@Schema(name = "AnalyticsSummary",
			description = "The figures of `[from, to)` (docs/analytics.md says what each counts)")
	record Summary(
			@Schema(description = "The start, in `timeZone`'s offset", example = "2026-11-01T00:00:00+01:00")
			String from,
			@Schema(description = "The end (exclusive)", example = "2026-12-01T00:00:00+01:00") String to,
			@Schema(description = "The time zone of the range", example = "Europe/Berlin") String timeZone,
			@Schema(description = "Tickets created") long ticketsCreated,
			@Schema(description = "Transitions into `RESOLVED`") long ticketsResolved,
			@Schema(description = "Transitions from `RESOLVED` or `CLOSED` back to an open status")
			long ticketsReopened,
			@Schema(description = "Transitions into `CLOSED`") long ticketsClosed,
			@Schema(description = "Messages of customers") long customerMessages,
			@Schema(description = "Public messages of agents") long agentReplies,
			Durations firstResponseSeconds, Durations resolutionSeconds, Durations businessFirstResponseSeconds,
			Durations businessResolutionSeconds, Sla sla, @Schema(description = "Escalation levels run") long escalations,
			Csat csat, Backlog backlog) {
	}

	@Schema(name = "AnalyticsPoint", description = "One period of a time series")
	record Point(
			@Schema(description = "The period's start, in the series' time zone", example = "2026-11-02T00:00:00+01:00")
			String start,
			@Schema(description = "The metric's value (null where there is nothing to average)", nullable = true,
					example = "12")
			Number value) {
	}

	@Schema(name = "AnalyticsTimeseries", description = "One metric, period by period")
	record Timeseries(@Schema(description = "The metric", example = "ticketsCreated") String metric,
			@Schema(description = "The period: `hour`, `day`, `week` or `month`", example = "day") String groupBy,
			@Schema(description = "The time zone of the periods", example = "Europe/Berlin") String timeZone,
			@Schema(description = "The periods, in order") List<Point> points) {
	}

	@Schema(name = "AnalyticsBreakdownRow", description = "The figures of one agent, category, tag or priority")
	record BreakdownRow(
			@Schema(description = "The agent's, category's or tag's id, or the priority", example = "HIGH") String key,
			@Schema(description = "Tickets created") long ticketsCreated,
			@Schema(description = "Transitions into `RESOLVED`") long ticketsResolved,
			@Schema(description = "Transitions from `RESOLVED` or `CLOSED` back to an open status")
			long ticketsReopened,
			@Schema(description = "Transitions into `CLOSED`") long ticketsClosed,
			@Schema(description = "Messages of customers") long customerMessages,
			@Schema(description = "Public messages of agents") long agentReplies,
			Durations firstResponseSeconds, Durations resolutionSeconds,
			Durations businessFirstResponseSeconds, Durations businessResolutionSeconds, Sla sla,
			@Schema(description = "Escalation levels run") long escalations, Csat csat) {

		static BreakdownRow of(String key, Measures m) {
			return new BreakdownRow(key, m.count(Figure.CREATED), m.count(Figure.RESOLVED), m.count(Figure.REOPENED),
					m.count(Figure.CLOSED), m.count(Figure.CUSTOMER_MESSAGES), m.count(Figure.AGENT_REPLIES),
					m.durations(DurationMetric.FIRST_RESPONSE), m.durations(DurationMetric.RESOLUTION),
					m.durations(DurationMetric.BUSINESS_FIRST_RESPONSE), m.durations(DurationMetric.BUSINESS_RESOLUTION),
					m.sla(), m.count(Figure.ESCALATIONS), m.csat());
		}
	}

	@Schema(name = "AnalyticsBreakdown", description = "The figures per agent, category, tag or priority")
	record Breakdown(@Schema(description = "`agent`, `category`, `tag` or `priority`", example = "priority") String by,
			@Schema(description = "One per key with any figure in the range, by key") List<BreakdownRow> rows) {
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
		var figures = sum(scope, SignedBuckets.covering(range.from(), range.to()));
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
		var starts = new ArrayList<Instant>();
		var covers = new ArrayList<List<SignedBuckets.SignedBucket>>();
		var wanted = new LinkedHashSet<BucketRef>();
		for (var period : periods) {
			starts.add(period.start().toInstant());
			var cover = SignedBuckets.covering(period.start().toInstant(), period.end());
			covers.add(cover);
			cover.forEach(bucket -> wanted.add(bucket.bucket()));
		}
		var sketches = Measures.sketchesOf(metric);
		var rows = byBucket(buckets.read(scope.merchantId(), scope.dimension(), scope.key(), wanted, sketches));
		var figures = new ArrayList<Figures>();
		covers.forEach(cover -> figures.add(SignedBuckets.sum(cover, rows)));
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
		var cover = SignedBuckets.covering(range.from(), range.to());
		var signs = new HashMap<BucketRef, Integer>();
		cover.forEach(bucket -> signs.put(bucket.bucket(), bucket.sign()));
		buckets.read(merchantId, by, onlyKey, signs.keySet())
			.forEach((bucket, row) -> byKey.computeIfAbsent(bucket.key(), key -> new Figures())
				.add(row, signs.get(bucket.bucket())));
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
			changes.add(sum(scope, SignedBuckets.covering(month, instant)), 1);
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

	private Figures sum(Scope scope, List<SignedBuckets.SignedBucket> cover) {
		var wanted = cover.stream().map(SignedBuckets.SignedBucket::bucket).toList();
		return SignedBuckets.sum(cover, byBucket(buckets.read(scope.merchantId(), scope.dimension(), scope.key(), wanted)));
	}

	/** Rows of one key by bucket. */
	private static Map<BucketRef, Figures> byBucket(Map<BucketKey, Figures> rows) {
		var byBucket = new HashMap<BucketRef, Figures>(rows.size() * 2);
		rows.forEach((key, row) -> byBucket.put(key.bucket(), row));
		return byBucket;
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
