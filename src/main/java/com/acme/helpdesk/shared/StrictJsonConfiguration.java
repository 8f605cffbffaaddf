package com.acme.helpdesk.shared;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Request JSON of the wrong type is refused instead of coerced ({@code "subject": 42} is not a subject). Request
 * bodies are read stricter still, by a mapper of their own (events and stored JSON keep the shared one): no number
 * for an enum, nothing after the value, no duplicate keys, the limits of {@link RequestLimitsProperties}, and what
 * {@link StrictJsonParser} refuses.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

	@Bean
	MappingJackson2HttpMessageConverter mappingJackson2HttpMessageConverter(ObjectMapper objectMapper,
			RequestLimitsProperties limits) {
		var factory = new StrictJsonFactory(objectMapper.getFactory(), limits.maxArrayItems());
		factory.setStreamReadConstraints(StreamReadConstraints.builder()
			.maxNestingDepth(limits.maxNestingDepth())
			.maxStringLength(limits.maxStringLength())
			.maxNameLength(1000)
			.maxNumberLength(100)
			.maxTokenCount(limits.maxTokenCount())
			.build());
		var requests = objectMapper.copyWith(factory)
			.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
		return new MappingJackson2HttpMessageConverter(requests);
	}

	@Bean
	Jackson2ObjectMapperBuilderCustomizer strictCoercion() {
		return builder -> builder.postConfigurer(mapper -> {
			mapper.coercionConfigFor(LogicalType.Textual)
				.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
			mapper.coercionConfigFor(LogicalType.Integer)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
			mapper.coercionConfigFor(LogicalType.Boolean)
				.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
		});
	}
}
