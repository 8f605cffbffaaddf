/**
 * The transactional outbox (Spring Modulith's JPA event publication registry): how its rows are written (inserted
 * in one batch before the publishing transaction commits, completed in the listener's own transaction or in
 * batches for listeners without one), and operations on it: list incomplete publications, resubmit stale ones
 * (also as a cluster-wide recurring job), purge completed ones.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Outbox operations")
package com.acme.helpdesk.outbox;
