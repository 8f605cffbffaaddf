package com.acme.helpdesk.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's headless Chromium driven over the Chrome DevTools Protocol with the JDK's own WebSocket client:
 * navigate, evaluate JavaScript, take screenshots. The binary is {@code HELPDESK_CHROMIUM} or
 * {@code /usr/bin/chromium}; when it is missing, {@link #start()} fails and says how to install it.
 */
public final class HeadlessChromium implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final Process process;
	private final Path profile;
	private final WebSocket page;
	private final AtomicInteger ids = new AtomicInteger();
	private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

	private HeadlessChromium(Process process, Path profile, String pageUrl) {
		this.process = process;
		this.profile = profile;
		this.page = HTTP.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new WebSocket.Listener() {

			private final StringBuilder text = new StringBuilder();

			@Override
			public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
				text.append(data);
				if (last) {
					receive(text.toString());
					text.setLength(0);
				}
				webSocket.request(1);
				return null;
			}
		}).join();
	}

	public static String binary() {
		var configured = System.getenv("HELPDESK_CHROMIUM");
		return configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured;
	}

	public static boolean available() {
		return Files.isExecutable(Path.of(binary()));
	}

	public static HeadlessChromium start() throws IOException, InterruptedException {
		var binary = binary();
		if (!Files.isExecutable(Path.of(binary))) {
			throw new IllegalStateException("No Chromium at " + binary + ": install Debian's package "
					+ "(`apt-get install -y chromium`) or set HELPDESK_CHROMIUM to a Chromium binary");
		}
		var profile = Files.createTempDirectory("helpdesk-chromium-");
		var process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile,
				"--remote-debugging-port=0", "about:blank")
			.redirectErrorStream(true)
			.redirectOutput(profile.resolve("chromium.log").toFile())
			.start();
		var activePort = profile.resolve("DevToolsActivePort");
		var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!(Files.exists(activePort) && Files.readAllLines(activePort).size() >= 2)) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				process.destroyForcibly();
				throw new IllegalStateException("Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
			}
			Thread.sleep(50); // bounded by the deadline: waiting for Chromium to write its port file
		}
		var port = Files.readAllLines(activePort).get(0).strip();
		var targets = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
				HttpResponse.BodyHandlers.ofString()).body());
		String pageUrl = null;
		for (var target : targets) {
			if ("page".equals(target.path("type").asText())) {
				pageUrl = target.get("webSocketDebuggerUrl").asText();
				break;
			}
		}
		if (pageUrl == null) {
			process.destroyForcibly();
			throw new IllegalStateException("Chromium shows no page target: " + targets);
		}
		return new HeadlessChromium(process, profile, pageUrl);
	}

	private void receive(String text) {
		try {
			var message = JSON.readTree(text);
			if (message.has("id")) {
				var future = pending.remove(message.get("id").asInt());
				if (future != null) {
					future.complete(message);
				}
			}
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	public JsonNode call(String method, Map<String, Object> params) {
		var id = ids.incrementAndGet();
		var future = new CompletableFuture<JsonNode>();
		pending.put(id, future);
		try {
			page.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
			var answer = future.get(30, TimeUnit.SECONDS);
			if (answer.has("error")) {
				throw new IllegalStateException(method + " failed: " + answer.get("error"));
			}
			return answer.get("result");
		}
		catch (Exception e) {
			throw new IllegalStateException(method + " failed", e);
		}
	}

	public void navigate(String url) {
		call("Page.navigate", Map.of("url", url));
	}

	/** Evaluates an expression in the page; answers its value (by value), or null. */
	public JsonNode evaluate(String expression) {
		var result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
		if (result.has("exceptionDetails")) {
			throw new IllegalStateException("JavaScript failed: " + result.get("exceptionDetails"));
		}
		return result.path("result").path("value");
	}

	public Path screenshot(Path file) throws IOException {
		var result = call("Page.captureScreenshot", Map.of("format", "png"));
		Files.createDirectories(file.getParent());
		Files.write(file, Base64.getDecoder().decode(result.get("data").asText()));
		return file;
	}

	@Override
	public void close() throws IOException {
		page.abort();
		// Chromium's helper processes (network service, renderers) write to the profile too, and outlive the browser
		// process by a moment once it is gone: stop them all before deleting it
		var helpers = process.descendants().toList();
		process.destroy();
		helpers.forEach(ProcessHandle::destroy);
		try {
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			for (var helper : helpers) {
				helper.onExit().get(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
			helpers.forEach(ProcessHandle::destroyForcibly);
		}
		try (var files = Files.walk(profile)) {
			for (var path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException | java.io.UncheckedIOException ignored) {
			// a leftover profile in /tmp is harmless; a test's outcome does not depend on its deletion
		}
	}

}
