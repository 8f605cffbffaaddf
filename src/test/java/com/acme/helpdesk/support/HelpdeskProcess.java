package com.acme.helpdesk.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/** The application in a JVM of its own, so a test can really kill it. */
public final class HelpdeskProcess implements AutoCloseable {

	private final Process process;
	private final List<String> command;
	private final int port;
	private final File log;

	private HelpdeskProcess(Process process, List<String> command, int port, File log) {
		this.process = process;
		this.command = command;
		this.port = port;
		this.log = log;
	}

	public static HelpdeskProcess start(String mainClass, String name, String jdbcUrl, String user, String password,
			String... extraArguments) {
		return start(ProcessHandle.current().info().command().orElse("java"), List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"),
				System.getProperty("java.class.path"), mainClass, name, jdbcUrl, user, password, extraArguments);
	}

	/**
	 * The application run by {@code java} with the given JVM options and class path, its output in
	 * {@code target/<name>.log}; returns once it is healthy.
	 */
	public static HelpdeskProcess start(String java, List<String> jvmOptions, String classPath, String mainClass,
			String name, String jdbcUrl, String user, String password, String... extraArguments) {
		try {
			var port = freePort();
			var log = new File("target/" + name + ".log");
			var command = new ArrayList<>(List.of(java));
			command.addAll(jvmOptions);
			command.addAll(List.of("-cp", classPath, mainClass, "--server.port=" + port,
					"--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=" + user,
					"--spring.datasource.password=" + password, "--helpdesk.ops-token=" + TestApi.OPS_TOKEN,
					"--jobrunr.dashboard.enabled=false"));
			command.addAll(List.of(extraArguments));
			return start(command, port, log, ProcessBuilder.Redirect.to(log));
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	private static HelpdeskProcess start(List<String> command, int port, File log, ProcessBuilder.Redirect output)
			throws IOException {
		var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
		var started = new HelpdeskProcess(process, List.copyOf(command), port, log);
		started.awaitHealthy();
		return started;
	}

	/**
	 * The same application started again, on the same port, once this one has stopped ({@link #close()} or
	 * {@link #kill()}): a restart as clients see it. Its output goes on in the same log; returns once it is healthy.
	 */
	public HelpdeskProcess startAgain() {
		if (process.isAlive()) {
			throw new IllegalStateException("the process still runs: close or kill it first");
		}
		try {
			return start(command, port, log, ProcessBuilder.Redirect.appendTo(log));
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** This JVM's class path without the test classes: what the application's jar holds, and its dependencies. */
	public static String mainClassPath() {
		return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + File.separator))
			.collect(java.util.stream.Collectors.joining(File.pathSeparator));
	}

	public long pid() {
		return process.pid();
	}

	public File log() {
		return log;
	}

	public String baseUrl() {
		return "http://localhost:" + port;
	}

	public int port() {
		return port;
	}

	/** SIGKILL: no shutdown hook, no graceful stop, in-flight work is lost. */
	public void kill() {
		process.destroyForcibly();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			process.destroy();
			try {
				if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
		}
	}

	private void awaitHealthy() {
		var client = HttpClient.newHttpClient();
		Awaitility.await()
			.atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.failFast("the process died; see " + log, () -> !process.isAlive())
			.until(() -> client
				.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString())
				.statusCode() == 200);
	}

	private static int freePort() throws IOException {
		try (var socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
