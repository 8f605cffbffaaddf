package com.acme.helpdesk.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The token of {@code /ops/v1/**}: {@link OpsTokenProperties#opsToken()}, or one generated and printed at start-up. */
@Component
@EnableConfigurationProperties(OpsTokenProperties.class)
class OpsToken {

	private static final Logger log = LoggerFactory.getLogger(OpsToken.class);

	private final byte[] token;

	OpsToken(OpsTokenProperties properties) {
		var value = properties.opsToken();
		if (!StringUtils.hasText(value)) {
			var bytes = new byte[24];
			new SecureRandom().nextBytes(bytes);
			value = "ops_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
			log.warn("No HELPDESK_OPS_TOKEN set; generated operations token for this process (a new one on every start; "
					+ "export HELPDESK_OPS_TOKEN before starting to keep one, as README's first steps do): {}", value);
		}
		this.token = value.getBytes(StandardCharsets.UTF_8);
	}

	boolean matches(String candidate) {
		return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
	}
}
