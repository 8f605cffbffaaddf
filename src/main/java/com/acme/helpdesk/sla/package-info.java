/**
 * SLA policies per merchant and priority, per-ticket SLA clocks (first response, resolution; business hours,
 * pauses while pending), the SLA monitor's sweep, escalation policies and escalations. Listens to the ticket events;
 * publishes {@link com.acme.helpdesk.sla.SlaWarning}, {@link com.acme.helpdesk.sla.SlaBreached} and
 * {@link com.acme.helpdesk.sla.TicketEscalated}; asks {@link com.acme.helpdesk.sla.EscalationReassigner} (implemented
 * by the assignment module) for another agent.
 */
@org.springframework.modulith.ApplicationModule(displayName = "SLA")
package com.acme.helpdesk.sla;
