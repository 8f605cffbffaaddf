package com.acme.helpdesk.surveys;

import java.net.URI;
import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.surveys.*}: how long a survey can be answered, the public base URL its link starts with, and the
 * question it asks.
 */
@Validated
@ConfigurationProperties("helpdesk.surveys")
record SurveyProperties(@NotNull @DurationMin(seconds = 1) @DefaultValue("P14D") Duration validity,
		@NotNull @DefaultValue("http://localhost:8080") URI publicBaseUrl,
		@NotBlank @DefaultValue("How satisfied are you with how we handled your request?") String question) {

	URI urlOf(String token) {
		var base = publicBaseUrl.toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/public/v1/surveys/"
				+ token);
	}
}
