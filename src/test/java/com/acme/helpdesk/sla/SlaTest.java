package com.acme.helpdesk.sla;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

import com.acme.helpdesk.support.HelpdeskTest;

/** The one context of the SLA tests: the shared test application plus {@link SlaTestConfiguration}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@HelpdeskTest
@Import(SlaTestConfiguration.class)
@interface SlaTest {
}
