package com.acme.helpdesk.notifications;

import java.nio.file.Path;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.util.StringUtils;

/**
 * Chooses where notification mail goes: the SMTP server when {@code spring.mail.host} ({@code SPRING_MAIL_HOST}) is
 * set, else the development sink, a folder, which start-up announces. Spring Boot makes its
 * {@link JavaMailSenderImpl} with an empty host too ({@code application.yml}); an empty or missing host means none. The profile {@code prod} refuses to start without an SMTP host ({@code ProductionSafety}).
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

	private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

	@Bean
	OutgoingMail outgoingMail(ObjectProvider<JavaMailSenderImpl> smtp, NotificationProperties properties, Clock clock) {
		var sender = smtp.getIfAvailable();
		if (sender != null && StringUtils.hasText(sender.getHost())) {
			log.info("Notification mail goes to the SMTP server {}:{}", sender.getHost(),
					sender.getPort() < 0 ? 25 : sender.getPort());
			return new SmtpConnections(sender);
		}
		var folder = new MailFolder(directory(properties), properties.devMailKeep(), clock);
		log.warn("""

				**************************************************************************************************
				* No SMTP server is configured (SPRING_MAIL_HOST): notification mail goes to the DEVELOPMENT MAIL
				* SINK, one .eml file per mail in {} (the newest {} kept),
				* listed at GET /ops/v1/dev-mail (operations token). Set SPRING_MAIL_HOST (and SPRING_MAIL_PORT,
				* SPRING_MAIL_USERNAME, SPRING_MAIL_PASSWORD) to send it; the profile prod refuses to start without.
				**************************************************************************************************""",
				folder.directory(), properties.devMailKeep());
		return folder;
	}

	private static Path directory(NotificationProperties properties) {
		return properties.devMailDirectory() != null ? properties.devMailDirectory()
				: Path.of(System.getProperty("user.home"), ".helpdesk", "mail");
	}
}
