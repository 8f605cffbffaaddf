/**
 * Notifications: rules that turn ticket, SLA and survey events into notifications for agents and requesters, the
 * agents' preferences (channels and immediate or digest delivery per type), delivery over in-app, email and webhook
 * on queue {@code helpdesk.notification}, and the digests. Publishes
 * {@link com.acme.helpdesk.notifications.NotificationCreated} for each in-app notification delivered.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notifications")
package com.acme.helpdesk.notifications;
