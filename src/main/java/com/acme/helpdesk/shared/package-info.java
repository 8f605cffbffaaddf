/**
 * Shared kernel: problem details for every error, paged list shape, the clock. Every event between
 * modules carries an {@code eventId} (a random UUID set when the event is raised); listeners use it as
 * their idempotency key.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Shared kernel", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package com.acme.helpdesk.shared;
