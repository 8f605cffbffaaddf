package com.acme.helpdesk.analytics;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.analytics.AnalyticsReports.Range;
import com.acme.helpdesk.analytics.AnalyticsReports.Scope;
import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.tenancy.Tenant;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The analytics reports, as JSON or, with {@code Accept: text/csv}, as CSV. An admin key reads the whole merchant; an
 * agent key reads only its own agent's figures. Shapes and rules: docs/analytics.md.
 */
@RestController
@Tag(name = "Analytics")
class AnalyticsController {

	private static final String CSV_COLUMNS = " With `Accept: text/csv`: CSV (RFC 4180), a header row of the JSON fields' "
			+ "dotted names (`firstResponseSeconds.median`), an empty cell for null.";

	static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
	private static final Instant LATEST = Instant.parse("9999-12-01T00:00:00Z");
	private static final Map<String, Dimension> BREAKDOWNS = Map.of("agent", Dimension.AGENT, "category",
			Dimension.CATEGORY, "tag", Dimension.TAG, "priority", Dimension.PRIORITY);

	private final AnalyticsReports reports;
	private final AnalyticsProperties properties;
	private final AnalyticsCsv csv;

	AnalyticsController(AnalyticsReports reports, AnalyticsProperties properties, ObjectMapper json) {
		this.reports = reports;
		this.properties = properties;
		this.csv = new AnalyticsCsv(json);
	}

	@GetMapping("/api/v1/analytics/summary")
	@Operation(operationId = "getAnalyticsSummary", summary = "Analytics summary", description = """
			The figures of `[from, to)`: volumes, first response and resolution times, SLA attainment, CSAT, and the \
			backlog now. An admin key reads the merchant's figures, an agent key its own agent's.""" + CSV_COLUMNS)
	@ApiResponse(responseCode = "200", description = "The summary", content = {
			@Content(mediaType = "application/json", schema = @Schema(implementation = AnalyticsReports.Summary.class)),
			@Content(mediaType = "text/csv", schema = @Schema(type = "string", description = "A header row and one row",
					example = "from,to,timeZone,ticketsCreated,...\r\n2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,UTC,42,...\r\n")) })
	ResponseEntity<?> summary(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "The start (inclusive): an ISO-8601 date (its midnight in `timeZone`) or a time with "
					+ "an offset, on a quarter hour", example = "2026-11-01") @RequestParam String from,
			@Parameter(description = "The end (exclusive), as `from`; at most `helpdesk.analytics.max-range` after it",
					example = "2026-12-01") @RequestParam String to,
			@Parameter(description = "An IANA time zone for dates and periods; `UTC` when left out",
					example = "Europe/Berlin")
			@RequestParam(required = false) String timeZone,
			@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		var range = range(from, to, timeZone);
		var summary = reports.summary(scope(tenant), range);
		return wantsCsv(accept) ? csv("analytics-summary.csv", csv.summary(summary)) : ResponseEntity.ok(summary);
	}

	@GetMapping("/api/v1/analytics/timeseries")
	@Operation(operationId = "getAnalyticsTimeseries", summary = "Analytics time series", description = """
			One metric per hour, day, week or month of `[from, to)` in `timeZone` (at most \
			`helpdesk.analytics.max-points` points); the backlog metrics are the value at each period's end. An agent \
			key reads its own agent's figures.""" + CSV_COLUMNS)
	@ApiResponse(responseCode = "200", description = "The series", content = {
			@Content(mediaType = "application/json", schema = @Schema(implementation = AnalyticsReports.Timeseries.class)),
			@Content(mediaType = "text/csv", schema = @Schema(type = "string",
					description = "A header row (`start`, the metric) and a row per period",
					example = "start,ticketsCreated\r\n2026-11-01T00:00:00Z,12\r\n")) })
	ResponseEntity<?> timeseries(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "A summary field by its dotted name (`ticketsCreated`, `firstResponseSeconds.median`, "
					+ "`sla.resolution.breached`, `csat.average`, `backlog.open`...)", example = "ticketsCreated")
			@RequestParam String metric,
			@Parameter(description = "The period; `day` when left out",
					schema = @Schema(allowableValues = { "hour", "day", "week", "month" }))
			@RequestParam(required = false) String groupBy,
			@Parameter(description = "The start (inclusive): an ISO-8601 date (its midnight in `timeZone`) or a time with "
					+ "an offset, on a quarter hour", example = "2026-11-01") @RequestParam String from,
			@Parameter(description = "The end (exclusive), as `from`; at most `helpdesk.analytics.max-range` after it",
					example = "2026-12-01") @RequestParam String to,
			@Parameter(description = "An IANA time zone for dates and periods; `UTC` when left out",
					example = "Europe/Berlin")
			@RequestParam(required = false) String timeZone,
			@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		if (!Measures.METRICS.containsKey(metric)) {
			throw new InvalidFieldException("metric", "must be one of " + String.join(", ", Measures.METRICS.keySet()));
		}
		var grouping = Grouping.parse(groupBy == null ? "day" : groupBy)
			.orElseThrow(() -> new InvalidFieldException("groupBy", "must be one of hour, day, week, month"));
		var range = range(from, to, timeZone);
		var periods = grouping.periods(range.from(), range.to(), range.zone(), properties.maxPoints());
		if (periods.size() > properties.maxPoints()) {
			throw new InvalidFieldException("groupBy",
					"gives more than %d points over this range; choose a larger grouping or a shorter range"
						.formatted(properties.maxPoints()));
		}
		for (var period : periods) {
			if (!BucketLevel.QUARTER_HOUR.isStart(period.end())) {
				throw new InvalidFieldException("timeZone",
						"has a local %s starting off the quarter hour in this range".formatted(grouping.parameterValue()));
			}
		}
		var series = reports.timeseries(scope(tenant), range, metric, grouping, periods);
		return wantsCsv(accept) ? csv("analytics-timeseries.csv", csv.timeseries(series)) : ResponseEntity.ok(series);
	}

	@GetMapping("/api/v1/analytics/breakdown")
	@Operation(operationId = "getAnalyticsBreakdown", summary = "Analytics breakdown", description = """
			The figures of `[from, to)` per agent, category, tag or priority (no backlog). An agent key reads only its \
			own row, `by=agent`.""" + CSV_COLUMNS)
	@ApiResponse(responseCode = "200", description = "The breakdown", content = {
			@Content(mediaType = "application/json", schema = @Schema(implementation = AnalyticsReports.Breakdown.class)),
			@Content(mediaType = "text/csv", schema = @Schema(type = "string",
					description = "A header row (`key`, the fields) and a row per key",
					example = "key,ticketsCreated,...\r\nHIGH,7,...\r\n")) })
	@ApiResponse(responseCode = "403", description = "An agent key asking for another breakdown than `by=agent`")
	ResponseEntity<?> breakdown(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "What to break the figures down by",
					schema = @Schema(allowableValues = { "agent", "category", "tag", "priority" })) @RequestParam String by,
			@Parameter(description = "The start (inclusive): an ISO-8601 date (its midnight in `timeZone`) or a time with "
					+ "an offset, on a quarter hour", example = "2026-11-01") @RequestParam String from,
			@Parameter(description = "The end (exclusive), as `from`; at most `helpdesk.analytics.max-range` after it",
					example = "2026-12-01") @RequestParam String to,
			@Parameter(description = "An IANA time zone for dates and periods; `UTC` when left out",
					example = "Europe/Berlin")
			@RequestParam(required = false) String timeZone,
			@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		var dimension = BREAKDOWNS.get(by.toLowerCase(Locale.ROOT));
		if (dimension == null) {
			throw new InvalidFieldException("by", "must be one of agent, category, tag, priority");
		}
		var range = range(from, to, timeZone);
		String onlyKey = null;
		if (!tenant.isAdmin()) {
			if (dimension != Dimension.AGENT) {
				throw new AccessDeniedException("An agent key reads only its own figures: by=agent");
			}
			onlyKey = tenant.agentId().toString();
		}
		var breakdown = reports.breakdown(tenant.merchantId(), dimension, onlyKey, range);
		return wantsCsv(accept) ? csv("analytics-breakdown.csv", csv.breakdown(breakdown))
				: ResponseEntity.ok(breakdown);
	}

	private static Scope scope(Tenant tenant) {
		return tenant.isAdmin() ? Scope.merchant(tenant.merchantId()) : Scope.agent(tenant.merchantId(), tenant.agentId());
	}

	private Range range(String fromValue, String toValue, String timeZone) {
		var zone = zone(timeZone);
		var from = instant("from", fromValue, zone);
		var to = instant("to", toValue, zone);
		if (!from.isBefore(to)) {
			throw new InvalidFieldException("from", "must be before to");
		}
		if (Duration.between(from, to).compareTo(properties.maxRange()) > 0) {
			var max = properties.maxRange();
			var readable = max.toSeconds() % 86_400 == 0 ? "P" + max.toDays() + "D" : max.toString();
			throw new InvalidFieldException("to",
					"must be at most %s after from (helpdesk.analytics.max-range)".formatted(readable));
		}
		return new Range(from, to, zone);
	}

	private static ZoneId zone(String value) {
		if (value == null || value.isBlank()) {
			return ZoneId.of("UTC");
		}
		try {
			return ZoneId.of(value.strip());
		}
		catch (DateTimeException e) {
			throw new InvalidFieldException("timeZone", "must be an IANA time zone such as Europe/Berlin");
		}
	}

	/** A date is its local midnight in {@code zone}; an instant carries its offset ({@code Z}, {@code +05:30}). */
	private static Instant instant(String field, String value, ZoneId zone) {
		Instant instant;
		try {
			var text = value.strip().replace(' ', '+'); // an unencoded '+' of an offset arrives as a space
			instant = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(zone).toInstant()
					: OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeException e) {
			throw new InvalidFieldException(field,
					"must be an ISO-8601 date (2026-03-01) or a time with an offset (2026-03-01T00:00:00Z)");
		}
		if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
			throw new InvalidFieldException(field, "must be between 1970-01-01 and 9999-12-01");
		}
		if (!BucketLevel.QUARTER_HOUR.isStart(instant)) {
			throw new InvalidFieldException(field, "must be on a quarter hour (minutes 00, 15, 30 or 45, no seconds)");
		}
		return instant;
	}

	/** CSV when {@code text/csv} is the most wanted of the types the API answers (JSON otherwise). */
	private static boolean wantsCsv(String accept) {
		if (accept == null || accept.isBlank()) {
			return false;
		}
		List<MediaType> types;
		try {
			types = new java.util.ArrayList<>(MediaType.parseMediaTypes(accept));
		}
		catch (org.springframework.http.InvalidMediaTypeException e) {
			return false;
		}
		types.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (var type : types) {
			if (type.getQualityValue() <= 0) {
				continue;
			}
			if (TEXT_CSV.isCompatibleWith(type) && !type.isWildcardSubtype()) {
				return true;
			}
			if (MediaType.APPLICATION_JSON.isCompatibleWith(type)
					|| MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(type)) {
				return false;
			}
		}
		return false;
	}

	private static ResponseEntity<String> csv(String fileName, String body) {
		return ResponseEntity.ok()
			.contentType(TEXT_CSV)
			.header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + fileName + "\"")
			.body(body);
	}
}
