package com.acme.helpdesk;

import java.util.ArrayList;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.util.StringUtils;

/**
 * With the profile {@code prod}, refuses to start unless what production needs is set: a datasource URL (no local or
 * embedded fallback), the operations token, an SMTP host (no development mail sink), and a dashboard password of
 * one's own (or the dashboard off). The message names every variable to set. Runs before the run command's development
 * database fallback (src/test) and {@link DatabaseRequired}.
 * <p>
 * It runs before any bean exists, so it looks into the environment itself, and only whether each setting is there;
 * the service reads its own settings from their {@code @ConfigurationProperties} records ({@code helpdesk.ops-token}:
 * {@code tenancy.OpsTokenProperties}).
 */
class ProductionSafety implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String PROFILE = "prod";
	static final String DEFAULT_DASHBOARD_PASSWORD = "change-me";

	static boolean isProduction(ConfigurableEnvironment environment) {
		return environment.acceptsProfiles(Profiles.of(PROFILE));
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		var environment = event.getEnvironment();
		if (!isProduction(environment)) {
			return;
		}
		var missing = new ArrayList<String>();
		if (!StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
			missing.add("SPRING_DATASOURCE_URL (with SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD): "
					+ "the profile prod has no local or embedded database");
		}
		if (!StringUtils.hasText(environment.getProperty("helpdesk.ops-token"))) {
			missing.add("HELPDESK_OPS_TOKEN: the token of /ops/v1 and the actuator (a long random string)");
		}
		if (!StringUtils.hasText(environment.getProperty("spring.mail.host"))) {
			missing.add("SPRING_MAIL_HOST (with SPRING_MAIL_PORT, SPRING_MAIL_USERNAME and SPRING_MAIL_PASSWORD): "
					+ "the SMTP server of notification mail; without it mail would go to the development sink");
		}
		var dashboard = environment.getProperty("jobrunr.dashboard.enabled", Boolean.class, false);
		var password = environment.getProperty("jobrunr.dashboard.password");
		if (dashboard && (!StringUtils.hasText(password) || DEFAULT_DASHBOARD_PASSWORD.equals(password))) {
			missing.add("JOBRUNR_DASHBOARD_PASSWORD: the JobRunr dashboard still has the default password "
					+ "(or set JOBRUNR_DASHBOARD_ENABLED=false)");
		}
		if (!missing.isEmpty()) {
			throw new IllegalStateException("Refusing to start with the profile prod; set "
					+ String.join("; set ", missing));
		}
	}

	/** After Boot has read the configuration files, before the development database fallback. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 2;
	}
}
