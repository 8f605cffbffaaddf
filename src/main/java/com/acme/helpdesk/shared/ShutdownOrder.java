package com.acme.helpdesk.shared;

import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;

/**
 * The order in which a process stops (on SIGTERM, or when its context closes), as {@code SmartLifecycle} phases:
 * Spring stops the highest phase first and waits for it before the next one. Starting runs the other way round.
 * <ol>
 * <li>Readiness goes DOWN (Spring Boot, before anything stops), then the process keeps serving for
 * {@code helpdesk.shutdown.delay} so load balancers stop sending ({@link ShutdownDelay}).</li>
 * <li>{@link #NEW_WORK}: the STOMP broker stops and every WebSocket session is closed ({@code 1001 going away}),
 * clients reconnect to another process; the process no longer takes over the publications of dead processes.</li>
 * <li>{@link #HTTP} (Spring Boot's graceful shutdown): no new connections or requests; requests in flight finish,
 * for at most {@code spring.lifecycle.timeout-per-shutdown-phase}.</li>
 * <li>{@link #LISTENERS}: the asynchronous event listeners finish what the requests handed them.</li>
 * <li>{@link #JOB_SERVERS}: the job servers take no new jobs; jobs running get {@code helpdesk.jobs.shutdown-grace}
 * to finish, then are interrupted (and retried elsewhere).</li>
 * <li>{@link #LISTENERS_AFTER_JOBS}: the listeners finish what those last jobs handed them.</li>
 * <li>Spring Boot stops the web server.</li>
 * <li>{@link #PROCESS}: the process signs off, so the others take over at once what it leaves unfinished.</li>
 * </ol>
 */
public final class ShutdownOrder {

	public static final int HTTP = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;

	public static final int NEW_WORK = HTTP + 1;

	public static final int LISTENERS = HTTP - 256;

	public static final int JOB_SERVERS = HTTP - 512;

	public static final int LISTENERS_AFTER_JOBS = HTTP - 768;

	/** Below Spring Boot's web server ({@code HTTP - 1024}), which starts before it and stops after it. */
	public static final int PROCESS = HTTP - 4096;

	private ShutdownOrder() {
	}
}
