package com.acme.helpdesk.shared;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error report (what it answers before Spring sees the request, e.g. a malformed URI) as a problem
 * detail instead of an HTML page. Tomcat makes it by class name, hence public.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		var known = HttpStatus.resolve(status);
		var title = known == null ? "Error" : known.getReasonPhrase();
		var json = "{\"type\":\"%s\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}".formatted(
				ProblemType.forStatus(status), title.replace("\"", "'"), status,
				status >= 500 ? "The service failed to answer this request" : "The request was refused by the server");
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			var writer = response.getReporter();
			if (writer != null) {
				writer.write(json);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException e) {
			// the client is gone or the response cannot take a body: nothing more to tell
		}
	}
}
