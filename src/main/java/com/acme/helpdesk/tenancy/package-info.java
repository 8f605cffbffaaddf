/**
 * Tenancy and security: merchants, hashed API keys (admin and agent), the operations token, and the
 * authenticated {@link com.acme.helpdesk.tenancy.Tenant} every request and query is scoped to.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenancy")
package com.acme.helpdesk.tenancy;
