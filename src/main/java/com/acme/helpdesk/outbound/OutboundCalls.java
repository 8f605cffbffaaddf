package com.acme.helpdesk.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.shared.InvalidFieldException;

/**
 * The one way to call a URL a merchant configured. {@link #checkedUrl} when the URL is saved; {@link #post} from the
 * job that calls it; {@link #postpone} for a job whose merchant holds its share of the workers.
 * <p>
 * A call resolves the host once, checks every address it resolves to ({@link AddressPolicy}), and connects to the
 * first of them (the HTTP client is given the address, so no second lookup can answer differently); it follows no
 * redirect, uses no proxy, and ends at {@code deadline} whatever the endpoint does (connect, send and the whole
 * answer). Requests carry the Standard Webhooks headers {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature} ({@code v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">}, one entry per secret).
 */
@Component
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundCalls implements DisposableBean {

	/**
	 * A signed POST of a JSON body.
	 *
	 * @param messageId the {@code webhook-id}: the same for every attempt of one message
	 * @param secrets the merchant's signing secrets ({@code whsec_<base64>}), each giving one signature
	 * @param maxAnswerBytes the largest answer body read; a longer one fails the call (0: the body is not read)
	 */
	public record Request(URI url, String messageId, List<String> secrets, String jsonBody, Duration connectTimeout,
			Duration deadline, int maxAnswerBytes) {
	}

	static final String SECRET_PREFIX = "whsec_";

	private final AddressPolicy policy;
	private final MerchantShares shares;
	private final JobDispatcher dispatcher;
	private final Duration postponeDelay;
	private final Clock clock;
	private final CloseableHttpClient http;
	private final ScheduledExecutorService deadlines;

	OutboundCalls(OutboundProperties properties, JobQueues queues, JobDispatcher dispatcher, Clock clock) {
		this.policy = new AddressPolicy(properties.allow());
		this.shares = new MerchantShares(queues, properties.merchantShare());
		this.dispatcher = dispatcher;
		this.postponeDelay = properties.postponeDelay();
		this.clock = clock;
		this.http = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new NoLookups())
				.setMaxConnTotal(200)
				.setMaxConnPerRoute(20)
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.setUserAgent("helpdesk-webhooks")
			.build();
		this.deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
			var thread = new Thread(runnable, "outbound-deadlines");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * A URL a merchant may save as {@code field}: {@code http} or {@code https}, no user info, and no IP literal (in
	 * any spelling) or {@code localhost} name it may not reach. {@code null} for a blank value.
	 *
	 * @throws InvalidFieldException naming {@code field}
	 */
	public URI checkedUrl(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		URI uri;
		try {
			uri = new URI(value.strip());
		}
		catch (URISyntaxException e) {
			throw new InvalidFieldException(field, "must be an http or https URL");
		}
		var scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!("http".equals(scheme) || "https".equals(scheme)) || uri.isOpaque()) {
			throw new InvalidFieldException(field, "must be an http or https URL");
		}
		if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
			throw new InvalidFieldException(field, "must not carry user info (credentials) in the URL");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			throw new InvalidFieldException(field, "must be an http or https URL with a valid host name or public address");
		}
		var host = AddressPolicy.normalized(uri.getHost());
		var port = port(uri);
		if (policy.allowsName(host, port)) {
			return uri;
		}
		try {
			var literal = AddressPolicy.literal(host);
			if (literal.isPresent()) {
				var refusal = policy.refusal(literal.get(), port);
				if (refusal.isPresent()) {
					throw new InvalidFieldException(field, "must not point to " + refusal.get());
				}
				return uri;
			}
		}
		catch (IllegalArgumentException e) {
			throw new InvalidFieldException(field, "has a host that " + e.getMessage());
		}
		var refusedName = AddressPolicy.refusedName(host);
		if (refusedName.isPresent()) {
			throw new InvalidFieldException(field, "must not point to a host that " + refusedName.get());
		}
		return uri;
	}

	/**
	 * POSTs the request and answers the body of its 2xx answer (empty when {@code maxAnswerBytes} is 0), holding one
	 * of the merchant's permits on {@code queue} meanwhile.
	 *
	 * @throws OutboundRefusedException when the URL leads to an address the merchant may not reach
	 * @throws MerchantShareTakenException when the merchant's calls hold its share of the queue's workers
	 * @throws OutboundCallFailedException for every other failure
	 */
	public byte[] post(JobQueue queue, UUID merchantId, Request request) {
		var target = checkedTarget(request.url());
		var permit = shares.tryAcquire(queue, merchantId);
		if (permit == null) {
			throw new MerchantShareTakenException("merchant %s holds its %d workers of %s".formatted(merchantId,
					shares.permitsPerMerchant(queue), queue.queueName()));
		}
		try {
			return exchange(target, request);
		}
		finally {
			permit.release();
		}
	}

	/**
	 * Publishes the job again to start after a short delay, with the run's idempotency key, so the run that found its
	 * merchant's share taken can end without counting as a failure. The new job's id derives from the run's, so a
	 * repeated run publishes it once.
	 */
	public <T extends HelpdeskJob> void postpone(T job, JobRun run) {
		var dispatch = Dispatch.of(job);
		if (run.jobId() != null) {
			dispatch = dispatch.withId(UUID.nameUUIDFromBytes(("postponed|" + run.jobId()).getBytes(StandardCharsets.UTF_8)));
		}
		dispatcher.publish(dispatch.withIdempotencyKey(run.idempotencyKey()).delayedBy(postponeDelay));
	}

	private HttpHost checkedTarget(URI url) {
		if (url.getHost() == null) {
			throw new OutboundRefusedException("Refused to call " + url + ": it has no host");
		}
		var host = AddressPolicy.normalized(url.getHost());
		var port = port(url);
		InetAddress[] addresses;
		try {
			var literal = AddressPolicy.literal(host);
			addresses = literal.isPresent() ? new InetAddress[] { literal.get() } : InetAddress.getAllByName(host);
		}
		catch (IllegalArgumentException e) {
			throw new OutboundRefusedException("Refused to call " + url + ": its host " + e.getMessage());
		}
		catch (UnknownHostException e) {
			throw new OutboundCallFailedException("Could not resolve the host of " + url + ": " + e.getMessage(), e);
		}
		if (!policy.allowsName(host, port)) {
			for (var address : addresses) {
				var refusal = policy.refusal(address, port);
				if (refusal.isPresent()) {
					throw new OutboundRefusedException("Refused to call %s: %s resolves to %s, %s (see HELPDESK_OUTBOUND_ALLOW)"
						.formatted(url, host, address.getHostAddress(), refusal.get()));
				}
			}
		}
		return new HttpHost(url.getScheme().toLowerCase(Locale.ROOT), addresses[0], host, port);
	}

	private byte[] exchange(HttpHost target, Request request) {
		var timestamp = String.valueOf(clock.instant().getEpochSecond());
		var post = new HttpPost(request.url());
		post.setHeader("webhook-id", request.messageId());
		post.setHeader("webhook-timestamp", timestamp);
		if (!request.secrets().isEmpty()) {
			post.setHeader("webhook-signature", signatures(request.secrets(),
					request.messageId() + "." + timestamp + "." + request.jsonBody()));
		}
		post.setEntity(new StringEntity(request.jsonBody(), ContentType.APPLICATION_JSON));
		var readTimeout = Timeout.of(request.deadline());
		var context = HttpClientContext.create();
		context.setRequestConfig(connectTimeout(RequestConfig.custom(), request.connectTimeout())
			.setResponseTimeout(readTimeout)
			.setConnectionRequestTimeout(readTimeout)
			.build());
		var timedOut = new AtomicBoolean();
		var cutOff = deadlines.schedule(() -> {
			timedOut.set(true);
			post.cancel();
		}, request.deadline().toMillis(), TimeUnit.MILLISECONDS);
		try (var response = http.executeOpen(target, post, context)) {
			var status = response.getCode();
			if (status / 100 != 2) {
				throw new OutboundCallFailedException("%s answered %d%s".formatted(request.url(), status,
						status / 100 == 3 ? " (redirects are not followed)" : ""), null);
			}
			if (request.maxAnswerBytes() == 0 || response.getEntity() == null) {
				return new byte[0];
			}
			try (InputStream body = response.getEntity().getContent()) {
				var answer = body.readNBytes(request.maxAnswerBytes() + 1);
				if (answer.length > request.maxAnswerBytes()) {
					throw new OutboundCallFailedException("%s answered more than %d bytes".formatted(request.url(),
							request.maxAnswerBytes()), null);
				}
				return answer;
			}
		}
		catch (IOException | RuntimeException e) {
			if (timedOut.get()) {
				throw new OutboundCallFailedException("%s timed out: no complete answer within %s".formatted(request.url(),
						request.deadline()), e);
			}
			if (e instanceof OutboundCallFailedException failed) {
				throw failed;
			}
			throw new OutboundCallFailedException("Calling " + request.url() + " failed: " + e, e);
		}
		finally {
			cutOff.cancel(false);
		}
	}

	@SuppressWarnings("deprecation")
	private static RequestConfig.Builder connectTimeout(RequestConfig.Builder config, Duration timeout) {
		// per request (webhooks and enrichment have their own); the pool's ConnectionConfig is per route only
		return config.setConnectTimeout(Timeout.of(timeout));
	}

	static String signatures(List<String> secrets, String content) {
		var signatures = new ArrayList<String>();
		for (var secret : secrets) {
			signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(key(secret), content)));
		}
		return String.join(" ", signatures);
	}

	/** A {@code whsec_<base64>} secret's key; an older secret without the prefix signs with its UTF-8 bytes. */
	static byte[] key(String secret) {
		if (secret.startsWith(SECRET_PREFIX)) {
			return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
		}
		return secret.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] hmac(byte[] key, String content) {
		try {
			var mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	@Override
	public void destroy() throws IOException {
		deadlines.shutdownNow();
		http.close();
	}

	/** Every host is resolved and checked before the client sees it; a lookup inside the client is a bug. */
	private static final class NoLookups implements DnsResolver {

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			throw new UnknownHostException("outbound calls connect to checked addresses only, not to " + host);
		}

		@Override
		public String resolveCanonicalHostname(String host) throws UnknownHostException {
			throw new UnknownHostException("outbound calls connect to checked addresses only, not to " + host);
		}
	}
}
