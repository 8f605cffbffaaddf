package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/** {@code helpdesk.analytics.max-range} and {@code max-points} bound what one request reads. */
@HelpdeskTest
@TestPropertySource(properties = { "helpdesk.analytics.max-range=P40D", "helpdesk.analytics.max-points=500" })
class AnalyticsLimitsTests {

	@Autowired
	TestApi api;

	@Test
	void aRangeLongerThanMaxRangeIsAProblemNamingTo() {
		var merchant = api.newMerchant();
		assertThat(api.get("/api/v1/analytics/summary?from=2026-01-01&to=2026-02-10", merchant.adminKey()).status())
			.isEqualTo(200); // 40 days
		var response = api.get("/api/v1/analytics/summary?from=2026-01-01&to=2026-02-10T00:15:00Z", merchant.adminKey());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("errors").get(0).get("field").asText()).isEqualTo("to");
		assertThat(response.body().get("detail").asText()).contains("P40D");
	}

	@Test
	void moreThanMaxPointsIsAProblemNamingTheGrouping() {
		var merchant = api.newMerchant();
		// 21 days of hours: 504 points
		var response = api.get("/api/v1/analytics/timeseries?metric=ticketsCreated&groupBy=hour&from=2026-01-01&to=2026-01-22",
				merchant.adminKey());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("errors").get(0).get("field").asText()).isEqualTo("groupBy");
		// 20 days and 20 hours: 500 points
		var hours = api.get(
				"/api/v1/analytics/timeseries?metric=ticketsCreated&groupBy=hour&from=2026-01-01&to=2026-01-21T20:00:00Z",
				merchant.adminKey());
		assertThat(hours.status()).isEqualTo(200);
		assertThat(hours.body().get("points")).hasSize(500);
		assertThat(hours.body().get("points").get(499).get("value").asLong()).isZero();
	}
}
