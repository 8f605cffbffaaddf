/**
 * Analytics: the figures a support manager reads (volumes, first response and resolution times with their median and
 * 90th percentile, SLA attainment, escalations, CSAT, backlog), kept up to date from the other modules' events by jobs
 * on {@code helpdesk.analytics-update}, per quarter hour, hour, day and month and per agent, category, tag and
 * priority.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics")
package com.acme.helpdesk.analytics;
