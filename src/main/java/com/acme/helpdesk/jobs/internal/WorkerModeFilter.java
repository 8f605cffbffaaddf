package com.acme.helpdesk.jobs.internal;

import java.io.IOException;
import java.util.Map;

import org.springframework.web.filter.OncePerRequestFilter;

import com.acme.helpdesk.shared.ProblemType;
import com.acme.helpdesk.shared.Problems;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Run mode {@code worker}: the HTTP API is not served here (404 problem detail). */
class WorkerModeFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException {
		Problems.write(response, ProblemType.NOT_FOUND, "Not Found", "This process runs in worker mode and serves no API",
				Map.of("instance", request.getRequestURI()));
	}
}
