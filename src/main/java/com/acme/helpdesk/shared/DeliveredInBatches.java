package com.acme.helpdesk.shared;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@code @ApplicationModuleListener} (with a transaction of its own) whose deliveries may share one
 * transaction. Its events are handled one at a time, in the order they arrive; those that arrive while one is being
 * handled are handled together next, in one transaction that also completes their publications. When such a shared
 * transaction fails, each of its events is delivered again alone, in a transaction of its own, so a failing event
 * holds back only itself.
 * <p>
 * For listeners whose handling of one event does not wait for another's commit and takes no locks that work elsewhere
 * takes in another order: a shared transaction holds every lock its events take until it commits. In a shared
 * transaction the method is called on the bean itself, so advice on it other than its transaction runs only when an
 * event is delivered alone.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface DeliveredInBatches {
}
