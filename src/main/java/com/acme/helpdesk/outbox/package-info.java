/**
 * Operations on the transactional outbox (Spring Modulith's JPA event publication registry, used as Spring Modulith
 * writes it): list incomplete publications, resubmit stale ones (also as a cluster-wide recurring job), purge
 * completed ones; record which process wrote each publication and hand those of stopped or dead processes to the
 * live ones; let the listeners finish when the process stops.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Outbox operations")
package com.acme.helpdesk.outbox;
