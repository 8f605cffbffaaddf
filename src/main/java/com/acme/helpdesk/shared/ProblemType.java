package com.acme.helpdesk.shared;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * The {@code type} of each kind of problem detail the service answers: a URI of our own per kind, listed with what a
 * client should do in docs/problems.md. A client may branch on {@code type}; {@code title}, {@code status} and
 * {@code detail} stay what they were.
 */
public enum ProblemType {

	INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST),
	UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED),
	FORBIDDEN("forbidden", HttpStatus.FORBIDDEN),
	NOT_FOUND("not-found", HttpStatus.NOT_FOUND),
	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED),
	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE),
	CONFLICT("conflict", HttpStatus.CONFLICT),
	CONCURRENT_CHANGE("concurrent-change", HttpStatus.CONFLICT),
	SURVEY_EXPIRED("survey-expired", HttpStatus.GONE),
	CONTENT_TOO_LARGE("content-too-large", HttpStatus.PAYLOAD_TOO_LARGE),
	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
	IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_ENTITY),
	RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS),
	AUTHENTICATION_THROTTLED("authentication-throttled", HttpStatus.TOO_MANY_REQUESTS),
	INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR),
	DATABASE_UNAVAILABLE("database-unavailable", HttpStatus.SERVICE_UNAVAILABLE);

	/** The prefix of every type; the kinds are documented in docs/problems.md. */
	public static final String BASE = "https://helpdesk.example/problems/";

	private final URI uri;
	private final HttpStatus status;

	ProblemType(String kind, HttpStatus status) {
		this.uri = URI.create(BASE + kind);
		this.status = status;
	}

	public URI uri() {
		return uri;
	}

	public HttpStatus status() {
		return status;
	}

	/**
	 * The kind of a problem known only by its status (the framework's own errors): the first kind of that status, or
	 * {@code about:blank} (RFC 9457: nothing more than the status says) for a status we have no kind for.
	 */
	public static URI forStatus(int status) {
		for (var type : values()) {
			if (type.status.value() == status) {
				return type.uri;
			}
		}
		return URI.create("about:blank");
	}
}
