package com.acme.helpdesk.shared;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

/** Writes an RFC 9457 problem detail straight to a response, for the filters that answer before Spring MVC does. */
public final class Problems {

	private static final ObjectMapper JSON = new ObjectMapper();

	private Problems() {
	}

	public static void write(HttpServletResponse response, ProblemType type, String title, String detail,
			Map<String, Object> properties) throws IOException {
		write(response, type.status(), type.uri(), title, detail, properties);
	}

	static void write(HttpServletResponse response, HttpStatus status, URI type, String title, String detail,
			Map<String, Object> properties) throws IOException {
		var problem = new LinkedHashMap<String, Object>();
		problem.put("type", type.toString());
		problem.put("title", title);
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.putAll(properties);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		var body = JSON.writeValueAsBytes(problem);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

	/** A 400 naming one field, shaped as {@code ApiProblemHandler}'s are. */
	public static void writeInvalid(HttpServletResponse response, String field, String message) throws IOException {
		write(response, ProblemType.INVALID_REQUEST, "Invalid request", field + ": " + message,
				Map.of("errors", java.util.List.of(Map.of("field", field, "message", message))));
	}
}
