/**
 * Tenancy and security: merchants, hashed API keys (admin and agent; listed, created and revoked by admins), the
 * operations token, the authenticated {@link com.acme.helpdesk.tenancy.Tenant} every request and query is scoped to,
 * and the audit trail ({@link com.acme.helpdesk.tenancy.AuditTrail}) other modules record their changes in. What each
 * role may do: docs/security.md.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenancy")
package com.acme.helpdesk.tenancy;
