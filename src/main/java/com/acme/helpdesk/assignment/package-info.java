/**
 * Agents (availability, capacity, the categories they serve, their load) and assignment of tickets to
 * them, by hand for now; auto-assignment strategies come with their jobs.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Assignment")
package com.acme.helpdesk.assignment;
