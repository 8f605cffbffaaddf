package com.acme.helpdesk.shared;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.autoconfigure.tracing.TracingProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.modulith.events.ApplicationModuleListener;

import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Traces across the outbox: the asynchronous event listeners run in the observation that published their event (the
 * HTTP request's, a job's), each in an observation of its own, {@code helpdesk.listener} (tag {@code listener}: its
 * id), so a trace goes on from the request into the listener and from there, through the jobs it publishes (see
 * {@code jobs}), into each job. Spans are recorded only when something exports them.
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

	static final String LISTENER_OBSERVATION = "helpdesk.listener";

	/**
	 * Applied by Boot to the application task executor, where {@code @ApplicationModuleListener}s run: carries the
	 * current observation over, nothing else (a merchant's security context stays on the request's thread).
	 */
	@Bean
	TaskDecorator observationPropagatingTaskDecorator() {
		return new ContextPropagatingTaskDecorator(ContextSnapshotFactory.builder()
			.captureKeyPredicate(ObservationThreadLocalAccessor.KEY::equals)
			.build());
	}

	/** Around every {@code @ApplicationModuleListener}, inside its asynchronous hand-over and outside its transaction. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor listenerObservationAdvisor(ObjectProvider<ObservationRegistry> registry) {
		var advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, ApplicationModuleListener.class, true),
				new ListenerObservation(registry));
		advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return advisor;
	}

	/**
	 * Boot samples {@code management.tracing.sampling.probability} of the traces (parent-based); without a span
	 * exporter (no {@code management.otlp.tracing.endpoint}) none: trace and span ids are still made, carried on and
	 * logged, but no span is recorded.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Sampler.class, SpanExporter.class })
	static class Sampling {

		@Bean
		Sampler otelSampler(ObjectProvider<SpanExporter> exporters, TracingProperties tracing) {
			if (exporters.stream().findAny().isEmpty()) {
				return Sampler.alwaysOff();
			}
			return Sampler.parentBased(Sampler.traceIdRatioBased(tracing.getSampling().getProbability()));
		}
	}

	private static final class ListenerObservation implements MethodInterceptor {

		private final ObjectProvider<ObservationRegistry> registries;
		private final Map<Method, String> ids = new ConcurrentHashMap<>();
		private volatile ObservationRegistry registry;

		ListenerObservation(ObjectProvider<ObservationRegistry> registries) {
			this.registries = registries;
		}

		@Override
		public Object invoke(MethodInvocation invocation) throws Throwable {
			var observations = registry();
			if (observations.isNoop()) {
				return invocation.proceed();
			}
			var id = ids.computeIfAbsent(invocation.getMethod(), ListenerObservation::listenerId);
			return Observation.createNotStarted(LISTENER_OBSERVATION, observations)
				.contextualName("listener " + id)
				.lowCardinalityKeyValue("listener", id)
				.observeChecked(invocation::proceed);
		}

		private ObservationRegistry registry() {
			var known = registry;
			if (known == null) {
				registry = known = registries.getIfAvailable(() -> ObservationRegistry.NOOP);
			}
			return known;
		}

		private static String listenerId(Method method) {
			var listener = AnnotatedElementUtils.findMergedAnnotation(method, ApplicationModuleListener.class);
			return listener != null && !listener.id().isBlank() ? listener.id()
					: method.getDeclaringClass().getSimpleName() + "." + method.getName();
		}
	}
}
