package com.acme.helpdesk.shared;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The first filter of every request: a multipart body answers 415, a body declared larger than
 * {@code helpdesk.requests.max-body-size} answers 413 before a byte of it is read, and a body without a length
 * (chunked) is cut at the limit while it is read (413 as well); a query parameter with a NUL character answers 400.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestLimitsFilter extends OncePerRequestFilter {

	private final long maxBodySize;

	RequestLimitsFilter(RequestLimitsProperties limits) {
		this.maxBodySize = limits.maxBodySize().toBytes();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		var contentType = request.getContentType();
		if (contentType != null && contentType.regionMatches(true, 0, "multipart/", 0, 10)) {
			Problems.write(response, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
					"Multipart bodies are not accepted; send " + MediaType.APPLICATION_JSON_VALUE, Map.of());
			return;
		}
		if (request.getContentLengthLong() > maxBodySize) {
			tooLarge(response);
			return;
		}
		var badParameter = parameterWithNul(request.getQueryString());
		if (badParameter != null) {
			Problems.writeInvalid(response, badParameter, "must not contain NUL characters");
			return;
		}
		try {
			chain.doFilter(new LimitedBodyRequest(request, maxBodySize), response);
		}
		catch (ServletException | RuntimeException e) {
			if (!response.isCommitted() && causedByTooLarge(e)) {
				response.reset();
				tooLarge(response);
				return;
			}
			throw e;
		}
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		response.setHeader("Connection", "close");
		Problems.write(response, ProblemType.CONTENT_TOO_LARGE, "Content Too Large",
				"The request body is larger than %d bytes".formatted(maxBodySize), Map.of());
	}

	private static boolean causedByTooLarge(Throwable e) {
		for (var t = e; t != null; t = t.getCause()) {
			if (t instanceof PayloadTooLargeException) {
				return true;
			}
		}
		return false;
	}

	/** The name of the first query parameter whose name or value holds a NUL character; null when none does. */
	static String parameterWithNul(String query) {
		if (query == null || query.indexOf('%') < 0 && query.indexOf('\0') < 0) {
			return null;
		}
		for (var pair : query.split("&")) {
			var eq = pair.indexOf('=');
			var name = decode(eq < 0 ? pair : pair.substring(0, eq));
			var value = eq < 0 ? "" : decode(pair.substring(eq + 1));
			if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
				return name.replace("\0", "\\u0000");
			}
		}
		return null;
	}

	private static String decode(String part) {
		try {
			return URLDecoder.decode(part, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			return part;
		}
	}

	private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

		private final long limit;
		private ServletInputStream stream;

		LimitedBodyRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new LimitedInputStream(super.getInputStream(), limit);
			}
			return stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			var encoding = getCharacterEncoding();
			var charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}
	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream in;
		private final long limit;
		private long read;

		LimitedInputStream(ServletInputStream in, long limit) {
			this.in = in;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = in.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = in.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws PayloadTooLargeException {
			read += n;
			if (read > limit) {
				throw new PayloadTooLargeException(limit);
			}
		}

		@Override
		public boolean isFinished() {
			return in.isFinished();
		}

		@Override
		public boolean isReady() {
			return in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			in.setReadListener(listener);
		}
	}
}
