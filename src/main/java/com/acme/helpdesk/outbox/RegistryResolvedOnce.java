package com.acme.helpdesk.outbox;

import java.util.function.Supplier;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.modulith.events.core.EventPublicationRegistry;
import org.springframework.modulith.events.support.CompletionRegisteringAdvisor;
import org.springframework.modulith.events.support.PersistentApplicationEventMulticaster;
import org.springframework.util.function.SingletonSupplier;

/**
 * Spring Modulith's event multicaster and its completion advice look the event publication registry up in the bean
 * factory again for every event and every delivery (an eighth of the listener threads' CPU, with the registry of
 * {@link ListenerTransactionCompletion} in front of Modulith's). Here both are built as Modulith builds them, with a
 * registry looked up once.
 */
@Configuration(proxyBeanMethods = false)
class RegistryResolvedOnce {

	static final String MULTICASTER = "applicationEventMulticaster";
	static final String COMPLETION_ADVISOR = "completionRegisteringAdvisor";

	@Bean
	static BeanFactoryPostProcessor eventPublicationRegistryResolvedOnce() {
		return beanFactory -> {
			Supplier<EventPublicationRegistry> registry = SingletonSupplier
				.of(() -> beanFactory.getBean(EventPublicationRegistry.class));
			supply(beanFactory, MULTICASTER,
					() -> new PersistentApplicationEventMulticaster(registry, () -> beanFactory.getBean(Environment.class)));
			supply(beanFactory, COMPLETION_ADVISOR, () -> new CompletionRegisteringAdvisor(registry));
		};
	}

	/** An instance supplier takes precedence over the definition's factory method. */
	private static void supply(ConfigurableListableBeanFactory beanFactory, String name, Supplier<?> instance) {
		if (!(beanFactory.getBeanDefinition(name) instanceof AbstractBeanDefinition definition)) {
			throw new IllegalStateException("Spring Modulith's bean " + name + " is not where it was expected");
		}
		definition.setInstanceSupplier(instance);
	}
}
