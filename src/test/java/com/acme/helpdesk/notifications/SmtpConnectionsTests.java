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

	@Test
	void aKeptConnectionThatDiesMidMailIsReplacedAndOneTheServerRefusesAddressesOnIsKept() throws Exception {
		try (var server = new ScriptedSmtpServer()) {
			var sender = new JavaMailSenderImpl();
			sender.setHost("127.0.0.1");
			sender.setPort(server.port());
			try (var connections = new SmtpConnections(sender)) {
				connections.send(mail("first"));

				// the server drops the kept connection at the next MAIL FROM: Angus Mail reports the end of the
				// stream as a failed command ([EOF], a SendFailedException), though no address was refused
				server.dropAtNextMailFrom.set(true);
				connections.send(mail("second"));
				assertThat(server.connections.get()).isEqualTo(2);

				server.refuseRecipients.set(true);
				assertThatThrownBy(() -> connections.send(mail("refused"))).isInstanceOf(MailSendException.class)
					.hasMessageContaining("550");
				server.refuseRecipients.set(false);
				connections.send(mail("third"));
			}
			assertThat(server.subjects).containsExactly("first", "second", "third");
			assertThat(server.connections.get()).as("the refusal kept its connection").isEqualTo(2);
		}
	}

	/** Just enough of an SMTP server to drop a connection at a chosen command or refuse recipients. */
	static final class ScriptedSmtpServer implements AutoCloseable {

		final java.util.concurrent.atomic.AtomicBoolean dropAtNextMailFrom = new java.util.concurrent.atomic.AtomicBoolean();
		final java.util.concurrent.atomic.AtomicBoolean refuseRecipients = new java.util.concurrent.atomic.AtomicBoolean();
		final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
		final java.util.List<String> subjects = new java.util.concurrent.CopyOnWriteArrayList<>();
		private final ServerSocket socket;

		ScriptedSmtpServer() throws Exception {
			socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
			var acceptor = new Thread(() -> {
				while (!socket.isClosed()) {
					try {
						var client = socket.accept();
						connections.incrementAndGet();
						var session = new Thread(() -> serve(client), "scripted-smtp");
						session.setDaemon(true);
						session.start();
					}
					catch (java.io.IOException e) {
						return;
					}
				}
			}, "scripted-smtp-accept");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return socket.getLocalPort();
		}

		private void serve(java.net.Socket client) {
			try (client; var in = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(),
					java.nio.charset.StandardCharsets.US_ASCII));
					var out = new java.io.PrintWriter(client.getOutputStream(), true, java.nio.charset.StandardCharsets.US_ASCII)) {
				reply(out, "220 scripted");
				for (String line; (line = in.readLine()) != null;) {
					var command = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
					switch (command) {
						case "MAIL" -> {
							if (dropAtNextMailFrom.getAndSet(false)) {
								return;
							}
							reply(out, "250 ok");
						}
						case "RCPT" -> reply(out, refuseRecipients.get() ? "550 no such user" : "250 ok");
						case "DATA" -> {
							reply(out, "354 go on");
							for (String data; (data = in.readLine()) != null && !data.equals(".");) {
								if (data.startsWith("Subject: ")) {
									subjects.add(data.substring("Subject: ".length()));
								}
							}
							reply(out, "250 queued");
						}
						case "QUIT" -> {
							reply(out, "221 bye");
							return;
						}
						default -> reply(out, "250 ok"); // EHLO, HELO, RSET, NOOP
					}
				}
			}
			catch (java.io.IOException e) {
				// the client went
			}
		}

		private static void reply(java.io.PrintWriter out, String line) {
			out.print(line + "\r\n");
			out.flush();
		}

		@Override
		public void close() throws Exception {
			socket.close();
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
