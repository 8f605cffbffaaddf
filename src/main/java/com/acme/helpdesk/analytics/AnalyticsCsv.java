package com.acme.helpdesk.analytics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The reports as CSV (RFC 4180): a header row of the JSON fields' flattened names ({@code firstResponseSeconds.median}),
 * then one row per report, point or breakdown row; an empty cell for {@code null}.
 */
final class AnalyticsCsv {

	private final ObjectMapper json;

	AnalyticsCsv(ObjectMapper json) {
		this.json = json;
	}

	String summary(AnalyticsReports.Summary summary) {
		var fields = flatten(json.valueToTree(summary));
		return table(List.copyOf(fields.keySet()), List.of(List.copyOf(fields.values())));
	}

	String timeseries(AnalyticsReports.Timeseries series) {
		var rows = new ArrayList<List<String>>();
		for (var point : series.points()) {
			rows.add(List.of(point.start(), point.value() == null ? "" : number(json.valueToTree(point.value()))));
		}
		return table(List.of("start", series.metric()), rows);
	}

	String breakdown(AnalyticsReports.Breakdown breakdown) {
		var header = new ArrayList<String>();
		header.add("key");
		header.addAll(Measures.FIELDS.keySet());
		var rows = new ArrayList<List<String>>();
		for (var row : breakdown.rows()) {
			var fields = flatten(json.valueToTree(row));
			if (!List.copyOf(fields.keySet()).equals(header)) {
				throw new IllegalStateException("breakdown fields out of step with the CSV header: " + fields.keySet());
			}
			rows.add(List.copyOf(fields.values()));
		}
		return table(header, rows);
	}

	/** The leaves of a JSON object by their dotted paths, in order. */
	static Map<String, String> flatten(JsonNode node) {
		var leaves = new LinkedHashMap<String, String>();
		flatten("", node, leaves);
		return leaves;
	}

	private static void flatten(String path, JsonNode node, Map<String, String> leaves) {
		if (node.isObject()) {
			node.fields().forEachRemaining(field -> flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
					field.getValue(), leaves));
		}
		else if (node.isNull()) {
			leaves.put(path, "");
		}
		else if (node.isNumber()) {
			leaves.put(path, number(node));
		}
		else {
			leaves.put(path, node.asText());
		}
	}

	private static String number(JsonNode node) {
		if (node.isIntegralNumber()) {
			return node.asText();
		}
		return new BigDecimal(node.asText()).stripTrailingZeros().toPlainString();
	}

	private static String table(List<String> header, List<List<String>> rows) {
		var text = new StringBuilder();
		line(text, header);
		rows.forEach(row -> line(text, row));
		return text.toString();
	}

	private static void line(StringBuilder text, List<String> cells) {
		for (int i = 0; i < cells.size(); i++) {
			if (i > 0) {
				text.append(',');
			}
			var cell = cells.get(i);
			if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
				text.append('"').append(cell.replace("\"", "\"\"")).append('"');
			}
			else {
				text.append(cell);
			}
		}
		text.append("\r\n");
	}
}
