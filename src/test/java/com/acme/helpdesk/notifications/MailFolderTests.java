package com.acme.helpdesk.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import com.acme.helpdesk.support.MutableClock;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * The development mail sink: chosen, and announced, when no SMTP host is set; one RFC 822 file per mail, newest first,
 * the oldest pruned.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailFolderTests {

	@TempDir
	Path directory;

	final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:15:30.250Z"));

	@Test
	void writesEachMailAsAFileAMailClientOpensAndListsThemNewestFirst() throws Exception {
		var folder = new MailFolder(directory.resolve("not-yet-there"), 10, clock);
		folder.send(mail("ann@example.com", "[#1] Parcel missing: Ticket assigned", "Ticket #1: Parcel missing"));
		clock.advance(Duration.ofSeconds(2));
		folder.send(mail("bob@example.com", "Grüße: second", "Zweite Nachricht, UTF-8: äöü"));

		var listed = folder.newest(0, 10);
		assertThat(listed).extracting(MailFolder.Mail::subject).containsExactly("Grüße: second",
				"[#1] Parcel missing: Ticket assigned");
		var newest = listed.get(0);
		assertThat(newest.to()).containsExactly("bob@example.com");
		assertThat(newest.from()).isEqualTo("helpdesk@localhost");
		assertThat(newest.body()).isEqualTo("Zweite Nachricht, UTF-8: äöü");
		assertThat(newest.sentAt()).isEqualTo(Instant.parse("2026-12-06T10:15:32Z"));
		assertThat(newest.id()).startsWith("20261206T101532250Z-");
		assertThat(folder.count()).isEqualTo(2);

		var raw = folder.raw(newest.id()).orElseThrow();
		assertThat(Files.readAllBytes(directory.resolve("not-yet-there").resolve(newest.id() + ".eml"))).isEqualTo(raw);
		var parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
		assertThat(parsed.getSubject()).isEqualTo("Grüße: second");
		assertThat(parsed.getContent()).isEqualTo("Zweite Nachricht, UTF-8: äöü");

		assertThat(folder.newest(1, 10)).extracting(MailFolder.Mail::to).containsExactly(java.util.List.of("ann@example.com"));
	}

	@Test
	void keepsTheNewestAndReadsNothingOutsideItsFolder() throws Exception {
		var folder = new MailFolder(directory, 2, clock);
		for (int i = 1; i <= 3; i++) {
			folder.send(mail("ann@example.com", "mail " + i, "body " + i));
			clock.advance(Duration.ofMillis(1));
		}

		assertThat(folder.newest(0, 10)).extracting(MailFolder.Mail::subject).containsExactly("mail 3", "mail 2");
		try (var files = Files.list(directory)) {
			assertThat(files).hasSize(2);
		}
		Files.writeString(directory.getParent().resolve("secret.eml"), "not a mail of the sink");
		assertThat(folder.raw("../secret")).isEmpty();
		assertThat(folder.raw("20261206T101530250Z-00000000-0000-0000-0000-000000000000")).isEmpty();
	}

	@Test
	void anEmptyOrMissingFolderListsNothing() {
		var folder = new MailFolder(directory.resolve("missing"), 2, clock);

		assertThat(folder.newest(0, 10)).isEmpty();
		assertThat(folder.count()).isZero();
	}

	@Test
	void withoutAnSmtpHostMailGoesToTheSinkAndStartUpSaysWhere(CapturedOutput output) {
		for (var host : new String[] { null, "", " " }) {
			var sender = new JavaMailSenderImpl();
			sender.setHost(host);

			var chosen = new MailConfiguration().outgoingMail(provider(sender), properties(directory), clock);

			assertThat(chosen).isInstanceOf(MailFolder.class);
			assertThat(((MailFolder) chosen).directory()).isEqualTo(directory.toAbsolutePath());
		}
		var none = new MailConfiguration().outgoingMail(new StaticListableBeanFactory().getBeanProvider(JavaMailSenderImpl.class),
				properties(null), clock);
		assertThat(((MailFolder) none).directory())
			.isEqualTo(Path.of(System.getProperty("user.home"), ".helpdesk", "mail").toAbsolutePath());
		assertThat(output).contains("WARN").contains("No SMTP server is configured (SPRING_MAIL_HOST)")
			.contains("DEVELOPMENT MAIL").contains(directory.toAbsolutePath().toString()).contains("/ops/v1/dev-mail");
	}

	@Test
	void withAnSmtpHostMailGoesToThatServer(CapturedOutput output) throws Exception {
		var sender = new JavaMailSenderImpl();
		sender.setHost("smtp.example.test");
		sender.setPort(587);

		var chosen = new MailConfiguration().outgoingMail(provider(sender), properties(directory), clock);

		assertThat(chosen).isInstanceOf(SmtpConnections.class);
		((SmtpConnections) chosen).close();
		assertThat(output).contains("Notification mail goes to the SMTP server smtp.example.test:587")
			.doesNotContain("DEVELOPMENT MAIL");
	}

	private static org.springframework.beans.factory.ObjectProvider<JavaMailSenderImpl> provider(JavaMailSenderImpl sender) {
		var beans = new StaticListableBeanFactory();
		beans.addBean("mailSender", sender);
		return beans.getBeanProvider(JavaMailSenderImpl.class);
	}

	private static NotificationProperties properties(Path directory) {
		return new NotificationProperties("helpdesk@localhost", Duration.ofHours(1), Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofDays(90), "47 * * * *", 1000, directory, 500);
	}

	private static SimpleMailMessage mail(String to, String subject, String text) {
		var message = new SimpleMailMessage();
		message.setFrom("helpdesk@localhost");
		message.setTo(to);
		message.setSubject(subject);
		message.setText(text);
		return message;
	}
}
