package com.acme.helpdesk.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

class SmtpConnectionsTests {

	@Test
	void mailsShareAConnectionAndOneDroppedByTheServerIsReplacedWithoutLosingTheMail() throws Exception {
		var port = freePort();
		var server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		server.start();
		var sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(port);
		try (var connections = new SmtpConnections(sender)) {
			connections.send(mail("first"));
			connections.send(mail("second"));
			assertThat(server.getReceivedMessages()).extracting(m -> m.getSubject()).containsExactly("first", "second");

			server.stop(); // the kept connection is gone with it
			server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
			server.start();
			connections.send(mail("after the server restarted"));
			assertThat(server.getReceivedMessages()).extracting(m -> m.getSubject())
				.containsExactly("after the server restarted");

			server.stop();
			assertThatThrownBy(() -> connections.send(mail("nobody listens"))).isInstanceOf(MailSendException.class)
				.hasMessageContaining("agent@example.com");
		}
		finally {
			server.stop();
		}
	}

	@Test
	void aMailIsSentAfterARestartThoughSeveralIdleConnectionsBrokeWithIt() throws Exception {
		var port = freePort();
		var server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		server.start();
		var sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(port);
		try (var connections = new SmtpConnections(sender)) {
			// three mails at once leave three idle connections in the pool
			var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
			try {
				var sent = new java.util.ArrayList<java.util.concurrent.Future<?>>();
				for (int i = 0; i < 3; i++) {
					var subject = "at once " + i;
					sent.add(pool.submit(() -> connections.send(mail(subject))));
				}
				for (var future : sent) {
					future.get();
				}
			}
			finally {
				pool.shutdownNow();
			}

			server.stop(); // every idle connection is gone with it
			server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
			server.start();
			connections.send(mail("after the restart"));
			assertThat(server.getReceivedMessages()).extracting(m -> m.getSubject()).containsExactly("after the restart");
		}
		finally {
			server.stop();
		}
	}

	private static SimpleMailMessage mail(String subject) {
		var mail = new SimpleMailMessage();
		mail.setFrom("helpdesk@example.com");
		mail.setTo("agent@example.com");
		mail.setSubject(subject);
		mail.setText("text");
		return mail;
	}

	private static int freePort() throws Exception {
		try (var socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
