package com.acme.helpdesk.tenancy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param opsToken {@code helpdesk.ops-token}: the bearer token of {@code /ops/v1/**} and the non-public actuator
 * endpoints; when empty, {@link OpsToken} generates one and prints it at start-up (the profile {@code prod} refuses
 * to start without one)
 */
@Validated
@ConfigurationProperties("helpdesk")
record OpsTokenProperties(@DefaultValue("") String opsToken) {
}
