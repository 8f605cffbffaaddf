/**
 * Satisfaction surveys: triggered when a ticket is resolved or closed (job {@code survey-trigger}), answered once
 * through a public page with an unguessable token, and counted in statistics. Publishes
 * {@link com.acme.helpdesk.surveys.SurveyRequested} and {@link com.acme.helpdesk.surveys.SurveyAnswered}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Surveys")
package com.acme.helpdesk.surveys;
