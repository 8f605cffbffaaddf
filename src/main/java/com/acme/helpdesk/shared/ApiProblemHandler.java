package com.acme.helpdesk.shared;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import jakarta.validation.ConstraintViolationException;

/**
 * Turns every error into an RFC 9457 problem detail. Bad input answers 400 and names each offending
 * field in {@code errors[].field} (and in {@code detail}).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblemHandler extends ResponseEntityExceptionHandler {

	record FieldProblem(String field, String message) {
	}

	private final DatabaseProperties database;

	ApiProblemHandler(DatabaseProperties database) {
		this.database = database;
	}

	/**
	 * The database is away (no connection within {@code helpdesk.database.connection-timeout}, or the connection
	 * broke): 503 with {@code Retry-After}. Any other database failure is a bug and stays a 500.
	 */
	@ExceptionHandler({ org.springframework.dao.DataAccessException.class,
			org.springframework.transaction.TransactionException.class, jakarta.persistence.PersistenceException.class,
			org.hibernate.HibernateException.class, java.sql.SQLException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) throws Exception {
		if (!DatabaseUnavailable.isCauseOf(e)) {
			throw e;
		}
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(database.retryAfter().toSeconds()))
			.body(problem(ProblemType.DATABASE_UNAVAILABLE, "Service Unavailable", DatabaseUnavailable.DETAIL));
	}

	@ExceptionHandler(NotFoundException.class)
	ProblemDetail notFound(NotFoundException e) {
		return problem(ProblemType.NOT_FOUND, "Not found", e.getMessage());
	}

	@ExceptionHandler(org.springframework.security.access.AccessDeniedException.class)
	ProblemDetail forbidden(org.springframework.security.access.AccessDeniedException e) {
		return problem(ProblemType.FORBIDDEN, "Forbidden", e.getMessage());
	}

	@ExceptionHandler(ConflictException.class)
	ProblemDetail conflict(ConflictException e) {
		return problem(ProblemType.CONFLICT, "Conflict", e.getMessage());
	}

	/**
	 * A unique constraint won a race that the check before the insert lost (two equal names at once, say): 409.
	 * Any other integrity violation is a bug and stays a 500.
	 */
	@ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
	ProblemDetail integrityViolation(org.springframework.dao.DataIntegrityViolationException e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
				return problem(ProblemType.CONFLICT, "Conflict", "The request conflicts with an existing resource");
			}
		}
		throw e;
	}

	@ExceptionHandler(OptimisticLockingFailureException.class)
	ProblemDetail concurrentChange(OptimisticLockingFailureException e) {
		return problem(ProblemType.CONCURRENT_CHANGE, "Conflict", "The resource was changed concurrently; retry the request");
	}

	@ExceptionHandler(InvalidFieldException.class)
	ProblemDetail invalidField(InvalidFieldException e) {
		return invalid(List.of(new FieldProblem(e.field(), e.getMessage())));
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ProblemDetail constraintViolation(ConstraintViolationException e) {
		return invalid(e.getConstraintViolations()
			.stream()
			.map(v -> new FieldProblem(lastNode(v.getPropertyPath().toString()), v.getMessage()))
			.toList());
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
		var expected = e.getRequiredType() == null ? "value" : describe(e.getRequiredType());
		return invalid(List.of(new FieldProblem(e.getName(), "must be a valid " + expected)));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		var problems = e.getBindingResult()
			.getFieldErrors()
			.stream()
			.sorted(Comparator.comparing(FieldError::getField))
			.map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
			.toList();
		return ResponseEntity.badRequest().body(invalid(problems));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		var problems = e.getParameterValidationResults()
			.stream()
			.flatMap(result -> result.getResolvableErrors()
				.stream()
				.map(error -> new FieldProblem(parameterName(result.getMethodParameter().getParameterName(), error),
						error.getDefaultMessage())))
			.toList();
		return ResponseEntity.badRequest().body(invalid(problems));
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return ResponseEntity.badRequest()
			.body(invalid(List.of(new FieldProblem(e.getParameterName(), "is required"))));
	}

	@ExceptionHandler(MissingRequestHeaderException.class)
	ProblemDetail missingHeader(MissingRequestHeaderException e) {
		return invalid(List.of(new FieldProblem(e.getHeaderName(), "header is required")));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
			if (t instanceof PayloadTooLargeException tooLarge) {
				return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
					.body(problem(ProblemType.CONTENT_TOO_LARGE, "Content Too Large", tooLarge.getMessage()));
			}
			if (t instanceof RefusedJsonException refused) {
				return ResponseEntity.badRequest()
					.body(invalid(List.of(new FieldProblem(refused.field(), refused.getOriginalMessage()))));
			}
		}
		Throwable cause = e.getMostSpecificCause();
		for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
			if (t instanceof JsonProcessingException) {
				cause = t;
				break;
			}
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return ResponseEntity.badRequest()
				.body(invalid(List.of(new FieldProblem(path(unknown), "is not a known field"))));
		}
		if (cause instanceof InvalidFormatException format) {
			var target = format.getTargetType();
			var message = target != null && target.isEnum()
					? "must be one of " + List.of(target.getEnumConstants()) : "must be a valid " + describe(target);
			return ResponseEntity.badRequest().body(invalid(List.of(new FieldProblem(path(format), message))));
		}
		if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
			var target = mapping instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
					? mismatch.getTargetType() : null;
			var message = target == null ? "has the wrong type" : "must be a valid " + describe(target);
			return ResponseEntity.badRequest().body(invalid(List.of(new FieldProblem(path(mapping), message))));
		}
		var detail = cause instanceof JsonProcessingException json ? "Malformed JSON: " + json.getOriginalMessage()
				: "The request body is missing or unreadable";
		return ResponseEntity.badRequest().body(invalid(List.of(new FieldProblem("body", detail))));
	}

	private static ProblemDetail invalid(List<FieldProblem> problems) {
		var detail = problems.stream()
			.map(p -> p.field() + ": " + p.message())
			.collect(Collectors.joining("; "));
		var problem = problem(ProblemType.INVALID_REQUEST, "Invalid request", detail);
		problem.setProperty("errors", problems);
		return problem;
	}

	private static ProblemDetail problem(ProblemType type, String title, String detail) {
		var problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
		problem.setType(type.uri());
		problem.setTitle(title);
		return problem;
	}

	/**
	 * The framework's own problems (a method not allowed, an unsupported media type, a {@code ResponseStatusException})
	 * get the type of their status unless they carry one.
	 */
	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
			WebRequest request) {
		if (body instanceof ProblemDetail problem
				&& (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
			problem.setType(ProblemType.forStatus(statusCode.value()));
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	private static String path(JsonMappingException e) {
		var path = new StringBuilder();
		for (var reference : e.getPath()) {
			if (reference.getFieldName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "body" : path.toString();
	}

	private static String parameterName(String fallback, org.springframework.context.MessageSourceResolvable error) {
		if (error instanceof FieldError field) {
			return field.getField();
		}
		return fallback == null ? "parameter" : fallback;
	}

	private static String lastNode(String propertyPath) {
		var dot = propertyPath.lastIndexOf('.');
		return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
	}

	private static final Map<String, String> TYPE_NAMES = Map.of("UUID", "UUID", "Integer", "integer", "int",
			"integer", "Long", "integer", "long", "integer", "Boolean", "boolean", "boolean", "boolean", "String",
			"string", "Duration", "ISO-8601 duration", "Instant", "ISO-8601 time");

	private static String describe(Class<?> type) {
		if (type == null) {
			return "value";
		}
		if (type.isEnum()) {
			return "one of " + List.of(type.getEnumConstants());
		}
		return TYPE_NAMES.getOrDefault(type.getSimpleName(), type.getSimpleName());
	}
}
