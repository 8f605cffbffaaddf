package com.acme.helpdesk.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * A key revoked in this test's application stops working in a second process (a child JVM on the same database) that
 * had it cached (the resolution cache keeps a key 1 s).
 */
@HelpdeskTest
class KeyRevocationTwoProcessesTests {

	static HelpdeskProcess second;
	static final HttpClient HTTP = HttpClient.newHttpClient();

	@Autowired
	TestApi api;

	@BeforeAll
	static void startSecondProcess(@Autowired JdbcConnectionDetails database) {
		second = HelpdeskProcess.start(HelpdeskApplication.class.getName(), "keys-second-process",
				database.getJdbcUrl(), database.getUsername(),
				database.getPassword() == null ? "" : database.getPassword(), "--helpdesk.run-mode=api",
				"--spring.datasource.hikari.maximum-pool-size=5", "--spring.datasource.hikari.minimum-idle=1",
				"--spring.modulith.events.republish-outstanding-events-on-restart=false",
				"--helpdesk.sla-monitor.cron=0 0 1 1 *");
	}

	@AfterAll
	static void stopSecondProcess() {
		if (second != null) {
			second.close();
		}
	}

	@Test
	void keyRevocationSeenByASecondProcessThatHadTheKeyCachedWithin2Seconds() throws Exception {
		var merchant = api.newMerchant();
		var created = api.post("/api/v1/api-keys", merchant.adminKey(), Map.of("role", "ADMIN")).body();
		var key = created.get("apiKey").asText();
		// the second process resolves (and caches) the key
		for (int i = 0; i < 3; i++) {
			assertThat(statusInSecondProcess(key)).isEqualTo(200);
		}

		assertThat(api.delete("/api/v1/api-keys/" + created.get("id").asText(), merchant.adminKey()).status())
			.isEqualTo(204);

		// the promise is 2 s in every process: a request sent once 2 s have passed is refused, however long it takes
		await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
		assertThat(statusInSecondProcess(key)).isEqualTo(401);
		assertThat(statusInSecondProcess(merchant.adminKey())).isEqualTo(200);
	}

	private static int statusInSecondProcess(String key) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(second.baseUrl() + "/api/v1/tickets"))
			.header("Authorization", "Bearer " + key)
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}
}
