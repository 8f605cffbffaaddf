package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The fields of the reports from summed figures, and their flattened names (time series metrics, CSV columns). */
class MeasuresTests {

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void averagesMediansSharesAndNullWhereNothingWasCounted() {
		var figures = new Figures().increment(Figure.CREATED, 3)
			.addDuration(DurationMetric.FIRST_RESPONSE, 60_000)
			.addDuration(DurationMetric.FIRST_RESPONSE, 120_000)
			.addDuration(DurationMetric.FIRST_RESPONSE, 600_000)
			.increment(Figure.CSAT_5, 2)
			.increment(Figure.CSAT_2, 1);
		var m = new Measures(figures, null);
		var first = m.durations(DurationMetric.FIRST_RESPONSE);
		assertThat(first.count()).isEqualTo(3);
		assertThat(first.average()).isEqualTo(260.0); // (60 + 120 + 600) / 3
		assertThat(first.median()).isCloseTo(120.0, org.assertj.core.data.Percentage.withPercentage(2));
		assertThat(first.p90()).isCloseTo(120.0, org.assertj.core.data.Percentage.withPercentage(2)); // rank floor(0.9 * 2) = 1
		assertThat(m.durations(DurationMetric.RESOLUTION)).isEqualTo(new Measures.Durations(0, null, null, null));
		assertThat(m.csat().answers()).isEqualTo(3);
		assertThat(m.csat().average()).isEqualTo(4.0); // (5 + 5 + 2) / 3
		assertThat(m.csat().satisfiedShare()).isEqualTo(0.6667);
		assertThat(m.csat().byScore()).containsExactly(java.util.Map.entry("1", 0L), java.util.Map.entry("2", 1L),
				java.util.Map.entry("3", 0L), java.util.Map.entry("4", 0L), java.util.Map.entry("5", 2L));
		assertThat(new Measures(new Figures(), null).csat().average()).isNull();
		assertThat(m.field("ticketsCreated")).isEqualTo(3L);
		assertThat(m.field("firstResponseSeconds.average")).isEqualTo(260.0);
	}

	@Test
	void theFlattenedNamesAreTheJsonFieldsOfABreakdownRowAndASummary() {
		var m = new Measures(new Figures().increment(Figure.RESOLVED, 1), new Measures.Backlog(1, 2, 3));
		var row = AnalyticsCsv.flatten(json.valueToTree(AnalyticsReports.BreakdownRow.of("k", m)));
		var expected = new ArrayList<String>();
		expected.add("key");
		expected.addAll(Measures.FIELDS.keySet());
		assertThat(row.keySet()).containsExactlyElementsOf(expected);
		assertThat(Measures.METRICS.keySet()).containsSubsequence("ticketsCreated", "firstResponseSeconds.median",
				"sla.resolution.breached", "csat.byScore.5", "backlog.open", "backlog.pending", "backlog.unassigned");
		for (var name : Measures.METRICS.keySet()) {
			// every metric has a value or null, never an error
			m.field(name);
		}
	}

	@Test
	void csvQuotesWhatNeedsItAndLeavesNullCellsEmpty() {
		var csv = new AnalyticsCsv(json);
		var text = csv.timeseries(new AnalyticsReports.Timeseries("firstResponseSeconds.median", "day", "UTC",
				java.util.List.of(new AnalyticsReports.Point("2026-03-01T00:00:00Z", 12.5),
						new AnalyticsReports.Point("2026-03-02T00:00:00Z", null))));
		assertThat(text).isEqualTo(
				"start,firstResponseSeconds.median\r\n2026-03-01T00:00:00Z,12.5\r\n2026-03-02T00:00:00Z,\r\n");
		var breakdown = csv.breakdown(new AnalyticsReports.Breakdown("tag", java.util.List.of(
				AnalyticsReports.BreakdownRow.of("a,\"b\"", new Measures(new Figures().increment(Figure.CREATED, 2), null)))));
		assertThat(breakdown.split("\r\n")[1]).startsWith("\"a,\"\"b\"\"\",2,0,");
	}
}
