package com.acme.helpdesk.notifications;

import java.util.List;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.notifications.NotificationStore.Row;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Notification mail, through the configured SMTP server ({@code spring.mail.*}) or the development sink
 * ({@link OutgoingMail}); a failure throws and the job is retried.
 */
@Component
class EmailChannel {

	static {
		// Jakarta Mail finds its StreamProvider with a ServiceLoader, scanning every jar, for each message it writes;
		// named by this property it is only instantiated
		if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
			System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
		}
	}

	private final OutgoingMail mail;
	private final NotificationProperties properties;

	EmailChannel(OutgoingMail mail, NotificationProperties properties) {
		this.mail = mail;
		this.properties = properties;
	}

	void send(Row notification) {
		var message = new SimpleMailMessage();
		message.setFrom(properties.mailFrom());
		message.setTo(notification.email());
		message.setSubject(subject(notification.type(), notification.payload()));
		message.setText(body(notification.type(), notification.payload()));
		mail.send(message);
	}

	void sendDigest(String to, List<Row> items) {
		var message = new SimpleMailMessage();
		message.setFrom(properties.mailFrom());
		message.setTo(to);
		message.setSubject(NotificationType.DIGEST.title() + ": " + items.size() + " notifications");
		var text = new StringBuilder("Since your last digest:\n\n");
		for (var item : items) {
			text.append("- ").append(subject(item.type(), item.payload())).append('\n');
		}
		message.setText(text.toString());
		mail.send(message);
	}

	static String subject(NotificationType type, JsonNode payload) {
		var title = type == NotificationType.STATUS_CHANGED ? "Status changed to " + payload.path("to").asText()
				: type.title();
		return "[#%d] %s: %s".formatted(payload.path("ticketNumber").asLong(), payload.path("subject").asText(), title);
	}

	private static String body(NotificationType type, JsonNode payload) {
		var text = new StringBuilder();
		text.append("Ticket #").append(payload.path("ticketNumber").asLong()).append(": ")
			.append(payload.path("subject").asText()).append("\n\n");
		switch (type) {
			case STATUS_CHANGED -> text.append("The status changed from ").append(payload.path("from").asText())
				.append(" to ").append(payload.path("to").asText()).append(".\n");
			case SURVEY_REQUESTED -> text.append("Please tell us how we did: ").append(payload.path("url").asText())
				.append("\nThis link works until ").append(payload.path("expiresAt").asText()).append(".\n");
			default -> text.append(type.title()).append(".\n");
		}
		return text.toString();
	}
}
