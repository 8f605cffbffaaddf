package com.acme.helpdesk.jobs.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jobrunr.dashboard.JobRunrApiHandler;
import org.jobrunr.dashboard.JobRunrDashboardWebServer;
import org.jobrunr.dashboard.JobRunrDashboardWebServerConfiguration;
import org.jobrunr.dashboard.JobRunrSseHandler;
import org.jobrunr.dashboard.JobRunrStaticFileHandler;
import org.jobrunr.dashboard.server.HttpExchangeHandler;
import org.jobrunr.dashboard.server.http.RedirectHttpHandler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.ThreadSafeStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.acme.helpdesk.shared.FailedAuthentications;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * JobRunr's dashboard on the address {@code helpdesk.dashboard.bind-address} (loopback by default). JobRunr 8.4's own
 * server binds every interface and has no option for an address; this one registers the same public handlers as
 * {@link JobRunrDashboardWebServer#start()} (redirect {@code /}, {@code /dashboard}, {@code /api}, {@code /sse}, the
 * last three behind basic authentication) on a JDK server bound where told. Pinned by {@code LoopbackDashboardTests}
 * (see docs/security.md).
 */
final class LoopbackDashboard extends JobRunrDashboardWebServer {

	private static final Logger log = LoggerFactory.getLogger(LoopbackDashboard.class);

	private final StorageProvider storage;
	private final JsonMapper jsonMapper;
	private final InetSocketAddress address;
	private final String username;
	private final String password;
	private final boolean allowAnonymousDataUsage;
	private final FailedAuthentications failures;
	private final List<HttpExchangeHandler> handlers = new ArrayList<>();
	private HttpServer server;
	private ExecutorService executor;

	LoopbackDashboard(StorageProvider storage, JsonMapper jsonMapper, InetAddress bindAddress, int port,
			String username, String password, boolean allowAnonymousDataUsage, FailedAuthentications failures) {
		super(storage, jsonMapper, JobRunrDashboardWebServerConfiguration.usingStandardDashboardConfiguration()
			.andPort(port)
			.andBasicAuthentication(username, password)
			.andAllowAnonymousDataUsage(allowAnonymousDataUsage));
		this.storage = new ThreadSafeStorageProvider(storage);
		this.jsonMapper = jsonMapper;
		this.address = new InetSocketAddress(bindAddress, port);
		this.username = username;
		this.password = password;
		this.allowAnonymousDataUsage = allowAnonymousDataUsage;
		this.failures = failures;
	}

	@Override
	public synchronized void start() {
		try {
			server = HttpServer.create(address, 0);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot start the JobRunr dashboard on " + address, e);
		}
		executor = Executors.newCachedThreadPool();
		server.setExecutor(executor);
		register(new RedirectHttpHandler("/", "/dashboard"), false);
		register(new JobRunrStaticFileHandler(), true);
		register(new JobRunrApiHandler(storage, jsonMapper, allowAnonymousDataUsage), true);
		register(new JobRunrSseHandler(storage, jsonMapper), true);
		server.start();
		log.info("JobRunr dashboard at http://{}:{}/dashboard", address.getHostString(), server.getAddress().getPort());
	}

	@Override
	public synchronized void stop() {
		if (server == null) {
			return;
		}
		handlers.forEach(HttpExchangeHandler::close);
		handlers.clear();
		server.stop(0);
		executor.shutdownNow();
		server = null;
	}

	/** The bound port (differs from the configured one when that was 0). */
	synchronized int port() {
		return server.getAddress().getPort();
	}

	private void register(HttpExchangeHandler handler, boolean secured) {
		handlers.add(handler);
		var context = server.createContext(handler.getContextPath(), handler);
		if (secured && username != null && password != null) {
			var basic = new BasicAuthenticator("JobRunr") {
				@Override
				public boolean checkCredentials(String user, String pass) {
					return equal(username, user) & equal(password, pass);
				}
			};
			context.setAuthenticator(new Authenticator() {
				@Override
				public Result authenticate(HttpExchange exchange) {
					var client = exchange.getRemoteAddress().getAddress().getHostAddress();
					var presented = exchange.getRequestHeaders().containsKey("Authorization");
					var retryAfter = presented ? failures.retryAfterSeconds(client) : 0;
					if (retryAfter > 0) {
						exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfter));
						return new Failure(429);
					}
					var result = basic.authenticate(exchange);
					if (presented && result instanceof Failure) {
						failures.failed(client);
					}
					return result;
				}
			});
		}
	}

	private static boolean equal(String expected, String actual) {
		return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				actual.getBytes(StandardCharsets.UTF_8));
	}
}
