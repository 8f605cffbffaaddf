package com.acme.helpdesk.notifications;

import org.springframework.mail.SimpleMailMessage;

/**
 * Where notification mail goes: the SMTP server of {@code spring.mail.*} ({@link SmtpConnections}), or, when none is
 * configured, the development sink ({@link MailFolder}); {@link MailConfiguration} chooses at start-up.
 */
interface OutgoingMail {

	/** Sends the mail; throws (a {@link org.springframework.mail.MailException}) when it was not accepted. */
	void send(SimpleMailMessage message);
}
