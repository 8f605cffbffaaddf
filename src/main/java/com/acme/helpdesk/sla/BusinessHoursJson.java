package com.acme.helpdesk.sla;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * The JSON shape of business hours, in the API and in the database:
 * {@code {"timeZone": "Europe/Berlin", "weekly": {"MONDAY": [{"from": "09:00", "to": "18:00"}]}}}.
 */
@Schema(name = "BusinessHours", description = "The hours SLA clocks run (null: around the clock)", nullable = true)
record BusinessHoursJson(@Schema(description = "The time zone of the hours", example = "Europe/Berlin") String timeZone,
		@Schema(description = "Per day of the week, the windows of that day") Map<DayOfWeek, List<WindowJson>> weekly) {

	@Schema(name = "BusinessHoursWindow", description = "A window of business hours in one day")
	record WindowJson(@Schema(description = "Its start (local time)", example = "09:00") String from,
			@Schema(description = "Its end (local time)", example = "18:00") String to) {
	}

	private static final ObjectMapper JSON = new ObjectMapper();

	static BusinessHoursJson of(BusinessHours hours) {
		if (hours == null) {
			return null;
		}
		var weekly = new LinkedHashMap<DayOfWeek, List<WindowJson>>();
		hours.weekly().forEach((day, windows) -> weekly.put(day,
				windows.stream().map(w -> new WindowJson(w.from().toString(), w.to().toString())).toList()));
		return new BusinessHoursJson(hours.timeZone().getId(), weekly);
	}

	/** Parses stored (already validated) business hours. */
	BusinessHours toBusinessHours() {
		var days = new LinkedHashMap<DayOfWeek, List<BusinessHours.Window>>();
		weekly.forEach((day, windows) -> days.put(day, windows.stream()
			.map(w -> new BusinessHours.Window(LocalTime.parse(w.from()), LocalTime.parse(w.to())))
			.toList()));
		return new BusinessHours(ZoneId.of(timeZone), days);
	}

	static String write(BusinessHours hours) {
		try {
			return hours == null ? null : JSON.writeValueAsString(of(hours));
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	static BusinessHours read(String json) {
		try {
			return json == null ? null : JSON.readValue(json, BusinessHoursJson.class).toBusinessHours();
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("unreadable business hours: " + json, e);
		}
	}

	@Converter
	static class Column implements AttributeConverter<BusinessHours, String> {

		@Override
		public String convertToDatabaseColumn(BusinessHours attribute) {
			return write(attribute);
		}

		@Override
		public BusinessHours convertToEntityAttribute(String dbData) {
			return read(dbData);
		}
	}
}
