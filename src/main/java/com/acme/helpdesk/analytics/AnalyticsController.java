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

/**
 * The analytics reports, as JSON or, with {@code Accept: text/csv}, as CSV. An admin key reads the whole merchant; an
 * agent key reads only its own agent's figures. Shapes and rules: docs/analytics.md.
 */
@RestController
class AnalyticsController {

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
	ResponseEntity<?> summary(@AuthenticationPrincipal Tenant tenant, @RequestParam String from,
			@RequestParam String to, @RequestParam(required = false) String timeZone,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		var range = range(from, to, timeZone);
		var summary = reports.summary(scope(tenant), range);
		return wantsCsv(accept) ? csv("analytics-summary.csv", csv.summary(summary)) : ResponseEntity.ok(summary);
	}

	@GetMapping("/api/v1/analytics/timeseries")
	ResponseEntity<?> timeseries(@AuthenticationPrincipal Tenant tenant, @RequestParam String metric,
			@RequestParam(required = false) String groupBy, @RequestParam String from, @RequestParam String to,
			@RequestParam(required = false) String timeZone,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
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
	ResponseEntity<?> breakdown(@AuthenticationPrincipal Tenant tenant, @RequestParam String by,
			@RequestParam String from, @RequestParam String to, @RequestParam(required = false) String timeZone,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
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
