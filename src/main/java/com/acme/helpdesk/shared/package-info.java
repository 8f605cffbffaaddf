/**
 * Shared kernel: problem details for every error, paged list shape, the clock.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Shared kernel", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package com.acme.helpdesk.shared;
