package com.acme.helpdesk.jobs.internal;

import java.io.IOException;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Run mode {@code worker}: the HTTP API is not served here (404 problem detail). */
class WorkerModeFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException {
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
					+ "\"detail\":\"This process runs in worker mode and serves no API\",\"instance\":\""
					+ request.getRequestURI().replace("\"", "") + "\"}");
	}
}
