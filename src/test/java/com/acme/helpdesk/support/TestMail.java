package com.acme.helpdesk.support;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** A real SMTP server (GreenMail, on a free port) for the whole test JVM; the application sends its mail there. */
@TestConfiguration(proxyBeanMethods = false)
public class TestMail {

	public static final GreenMail SMTP = start();

	public record Mail(String to, String subject, String body) {
	}

	private static GreenMail start() {
		var mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		mail.start();
		Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
		return mail;
	}

	@Bean
	DynamicPropertyRegistrar testMailServer() {
		return registry -> {
			registry.add("spring.mail.host", () -> "127.0.0.1");
			registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
		};
	}

	/** The mails received for addresses of {@code domain}. */
	public static List<Mail> to(String domain) {
		return Arrays.stream(SMTP.getReceivedMessagesForDomain(domain)).map(TestMail::mail).toList();
	}

	private static Mail mail(MimeMessage message) {
		try {
			return new Mail(message.getRecipients(Message.RecipientType.TO)[0].toString(), message.getSubject(),
					GreenMailUtil.getBody(message));
		}
		catch (MessagingException e) {
			throw new IllegalStateException(e);
		}
	}
}
