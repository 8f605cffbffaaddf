/**
 * Live updates: the STOMP-over-WebSocket endpoint {@code /ws}, the fan-out of helpdesk events to
 * {@code /topic/observation/helpdesk/{merchantId}} and the ticket rooms {@code /topic/helpdesk/{ticketId}[/{messageId}]},
 * in-app notifications on {@code /user/queue/notifications} ({@link com.acme.helpdesk.realtime.LiveNotifications}),
 * and the live console at {@code /console}. An in-memory broker by default; a STOMP broker relay
 * (RabbitMQ) when several processes must share events.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Realtime")
package com.acme.helpdesk.realtime;
