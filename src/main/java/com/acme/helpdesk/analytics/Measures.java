package com.acme.helpdesk.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a report says about summed {@link Figures}: the fields of the API, each also by its flattened name
 * ({@code firstResponseSeconds.median}), which time series ({@code metric}) and CSV columns use. Durations in seconds;
 * {@code null} where there is nothing to average or rank.
 */
final class Measures {

	@Schema(name = "AnalyticsDurations",
			description = "Durations in seconds: how many, their average, median and 90th percentile")
	record Durations(@Schema(description = "How many samples") long count,
			@Schema(description = "The average (null without samples)", nullable = true, example = "5400.0")
			Double average,
			@Schema(description = "The median (null without samples)", nullable = true, example = "3600.0")
			Double median,
			@Schema(description = "The 90th percentile (null without samples)", nullable = true, example = "14400.0")
			Double p90) {
	}

	@Schema(name = "AnalyticsSlaAttainment", description = "SLA clock cycles that ended")
	record Attainment(@Schema(description = "Cycles that stopped without a breach") long met,
			@Schema(description = "Cycles that breached") long breached) {
	}

	@Schema(name = "AnalyticsSla", description = "SLA attainment per metric")
	record Sla(Attainment firstResponse, Attainment resolution) {
	}

	@Schema(name = "AnalyticsCsat", description = "Survey answers")
	record Csat(@Schema(description = "How many answers") long answers,
			@Schema(description = "The average rating (null without answers)", nullable = true, example = "4.2")
			Double average,
			@Schema(description = "Answers of 4 or 5 / answers (null without answers)", nullable = true,
					example = "0.8")
			Double satisfiedShare,
			@Schema(description = "Answers by rating, `1` to `5`") Map<String, Long> byScore) {
	}

	@Schema(name = "AnalyticsBacklog", description = "Tickets waiting")
	record Backlog(@Schema(description = "Tickets `OPEN` or `IN_PROGRESS`") long open,
			@Schema(description = "Tickets `PENDING`") long pending,
			@Schema(description = "Open or pending tickets without an assignee") long unassigned) {

		static Backlog of(Figures changes) {
			return new Backlog(changes.get(Figure.OPEN_CHANGE), changes.get(Figure.PENDING_CHANGE),
					changes.get(Figure.UNASSIGNED_CHANGE));
		}
	}

	/** The fields of a summary but the backlog, by their flattened names, in the order of the API. */
	static final Map<String, Function<Measures, Number>> FIELDS;

	/** Every field a time series may show: {@link #FIELDS} and the backlog's. */
	static final Map<String, Function<Measures, Number>> METRICS;

	static {
		var fields = new LinkedHashMap<String, Function<Measures, Number>>();
		fields.put("ticketsCreated", m -> m.count(Figure.CREATED));
		fields.put("ticketsResolved", m -> m.count(Figure.RESOLVED));
		fields.put("ticketsReopened", m -> m.count(Figure.REOPENED));
		fields.put("ticketsClosed", m -> m.count(Figure.CLOSED));
		fields.put("customerMessages", m -> m.count(Figure.CUSTOMER_MESSAGES));
		fields.put("agentReplies", m -> m.count(Figure.AGENT_REPLIES));
		durations(fields, "firstResponseSeconds", DurationMetric.FIRST_RESPONSE);
		durations(fields, "resolutionSeconds", DurationMetric.RESOLUTION);
		durations(fields, "businessFirstResponseSeconds", DurationMetric.BUSINESS_FIRST_RESPONSE);
		durations(fields, "businessResolutionSeconds", DurationMetric.BUSINESS_RESOLUTION);
		fields.put("sla.firstResponse.met", m -> m.count(Figure.SLA_FIRST_RESPONSE_MET));
		fields.put("sla.firstResponse.breached", m -> m.count(Figure.SLA_FIRST_RESPONSE_BREACHED));
		fields.put("sla.resolution.met", m -> m.count(Figure.SLA_RESOLUTION_MET));
		fields.put("sla.resolution.breached", m -> m.count(Figure.SLA_RESOLUTION_BREACHED));
		fields.put("escalations", m -> m.count(Figure.ESCALATIONS));
		fields.put("csat.answers", m -> m.csat().answers());
		fields.put("csat.average", m -> m.csat().average());
		fields.put("csat.satisfiedShare", m -> m.csat().satisfiedShare());
		for (int score = 1; score <= 5; score++) {
			var figure = Figure.csat(score);
			fields.put("csat.byScore." + score, m -> m.count(figure));
		}
		FIELDS = Collections.unmodifiableMap(fields);
		var metrics = new LinkedHashMap<>(fields);
		metrics.put("backlog.open", m -> m.backlog().open());
		metrics.put("backlog.pending", m -> m.backlog().pending());
		metrics.put("backlog.unassigned", m -> m.backlog().unassigned());
		METRICS = Collections.unmodifiableMap(metrics);
	}

	private static final Map<String, DurationMetric> SKETCHED = Map.of("firstResponseSeconds",
			DurationMetric.FIRST_RESPONSE, "resolutionSeconds", DurationMetric.RESOLUTION,
			"businessFirstResponseSeconds", DurationMetric.BUSINESS_FIRST_RESPONSE, "businessResolutionSeconds",
			DurationMetric.BUSINESS_RESOLUTION);

	/** The sketches a time series of {@code metric} needs: one for a median or p90, none otherwise. */
	static Set<DurationMetric> sketchesOf(String metric) {
		var sketches = EnumSet.noneOf(DurationMetric.class);
		var dot = metric.indexOf('.');
		if (dot > 0 && (metric.endsWith(".median") || metric.endsWith(".p90"))) {
			var sketched = SKETCHED.get(metric.substring(0, dot));
			if (sketched != null) {
				sketches.add(sketched);
			}
		}
		return sketches;
	}

	private static void durations(Map<String, Function<Measures, Number>> fields, String name, DurationMetric metric) {
		fields.put(name + ".count", m -> m.durations(metric).count());
		fields.put(name + ".average", m -> m.durations(metric).average());
		fields.put(name + ".median", m -> m.durations(metric).median());
		fields.put(name + ".p90", m -> m.durations(metric).p90());
	}

	private final Figures figures;
	private final Backlog backlog;

	/** {@code backlog} may be null where the report has none (breakdown rows). */
	Measures(Figures figures, Backlog backlog) {
		this.figures = figures;
		this.backlog = backlog;
	}

	long count(Figure figure) {
		return figures.get(figure);
	}

	Durations durations(DurationMetric metric) {
		long count = figures.get(metric.count);
		if (count <= 0) {
			return new Durations(Math.max(count, 0), null, null, null);
		}
		var sketch = figures.sketch(metric);
		return new Durations(count, round(figures.get(metric.millis) / 1000.0 / count), round(sketch.quantileSeconds(0.5)),
				round(sketch.quantileSeconds(0.9)));
	}

	Sla sla() {
		return new Sla(new Attainment(count(Figure.SLA_FIRST_RESPONSE_MET), count(Figure.SLA_FIRST_RESPONSE_BREACHED)),
				new Attainment(count(Figure.SLA_RESOLUTION_MET), count(Figure.SLA_RESOLUTION_BREACHED)));
	}

	Csat csat() {
		var byScore = new LinkedHashMap<String, Long>();
		long answers = 0;
		long points = 0;
		for (int score = 1; score <= 5; score++) {
			long n = count(Figure.csat(score));
			byScore.put(Integer.toString(score), n);
			answers += n;
			points += score * n;
		}
		if (answers <= 0) {
			return new Csat(answers, null, null, byScore);
		}
		long satisfied = count(Figure.CSAT_4) + count(Figure.CSAT_5);
		return new Csat(answers, round((double) points / answers), round((double) satisfied / answers), byScore);
	}

	Backlog backlog() {
		return backlog;
	}

	Number field(String name) {
		return METRICS.get(name).apply(this);
	}

	/** The values of {@link #FIELDS}, for a CSV row. */
	List<Number> fieldValues() {
		return FIELDS.values().stream().map(f -> f.apply(this)).toList();
	}

	/** Milliseconds are the precision kept; an average needs no more. */
	private static Double round(Double value) {
		if (value == null) {
			return null;
		}
		return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
	}
}
