package com.acme.helpdesk.shared;

import java.io.IOException;
import java.util.Map;

import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Boot's error page as a problem detail: what reaches the container's error handling (an exception no handler took,
 * a {@code sendError} of a filter or of Spring Security) answers {@code application/problem+json} whatever the
 * client accepts, and says nothing of the exception.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

	private final DatabaseProperties database;

	ProblemErrorController(DatabaseProperties database) {
		this.database = database;
	}

	@RequestMapping("${server.error.path:${error.path:/error}}")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		var status = HttpStatus.resolve(statusOf(request));
		if (status == null || !status.isError()) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		var detail = status.is5xxServerError() ? "The service failed to answer this request"
				: "The request was refused: " + status.getReasonPhrase();
		var path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		response.reset();
		if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
				&& DatabaseUnavailable.isCauseOf(failure)) {
			// a filter's database access (the API key's resolution, say) found the database away
			status = HttpStatus.SERVICE_UNAVAILABLE;
			detail = DatabaseUnavailable.DETAIL;
			response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(database.retryAfter().toSeconds()));
		}
		Problems.write(response, status, ProblemType.forStatus(status.value()), status.getReasonPhrase(), detail,
				path == null ? Map.of() : Map.of("instance", path.toString()));
	}

	private static int statusOf(HttpServletRequest request) {
		return request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
	}
}
