package com.acme.helpdesk.notifications;

import java.time.Duration;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMailMessage;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;

/**
 * Connections to the SMTP server of {@code spring.mail.*}, kept open between mails: Spring's sender connects,
 * greets and quits for every message, which was half of the cost of a notification mail. A connection idle for
 * {@value #IDLE_SECONDS} s is closed (servers drop idle clients after a few minutes). A mail whose connection fails
 * is tried once more on a new one, since the server may have closed or restarted meanwhile (a failure after the server
 * accepted the mail, which this cannot tell apart, sends it twice: mail is at least once, like every side effect);
 * addresses the server refused are thrown at once (a retry would send it again to the addresses it accepted), on a
 * connection that still answers (one that ended mid-mail is broken, whatever the exception says).
 */
final class SmtpConnections implements OutgoingMail, AutoCloseable {

	static final int IDLE_SECONDS = 30;

	private static final class Connection {

		final Transport transport;

		int sent;

		Connection(Transport transport) {
			this.transport = transport;
		}
	}

	private final JavaMailSenderImpl mail;
	private final GenericObjectPool<Connection> pool;

	SmtpConnections(JavaMailSenderImpl mail) {
		this.mail = mail;
		var config = new GenericObjectPoolConfig<Connection>();
		config.setMaxTotal(-1);
		config.setMaxIdle(16);
		config.setMinEvictableIdleDuration(Duration.ofSeconds(IDLE_SECONDS));
		config.setTimeBetweenEvictionRuns(Duration.ofSeconds(IDLE_SECONDS / 2));
		config.setJmxEnabled(false);
		this.pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
			@Override
			public Connection create() throws MessagingException {
				var transport = mail.getSession().getTransport(mail.getProtocol() == null ? "smtp" : mail.getProtocol());
				transport.connect(mail.getHost(), mail.getPort(), mail.getUsername(), mail.getPassword());
				return new Connection(transport);
			}

			@Override
			public PooledObject<Connection> wrap(Connection connection) {
				return new DefaultPooledObject<>(connection);
			}

			@Override
			public void destroyObject(PooledObject<Connection> connection) throws MessagingException {
				connection.getObject().transport.close();
			}
		}, config);
	}

	/** Sends the mail from {@code spring.mail}'s settings; throws {@link MailSendException} when it is not accepted. */
	@Override
	public void send(SimpleMailMessage message) {
		var mime = new MimeMailMessage(mail.createMimeMessage());
		message.copyTo(mime);
		var content = mime.getMimeMessage();
		try {
			content.saveChanges();
			for (int attempt = 1;; attempt++) {
				var connection = pool.borrowObject();
				try {
					connection.transport.sendMessage(content, content.getAllRecipients());
					connection.sent++;
					pool.returnObject(connection);
					return;
				}
				catch (SendFailedException e) {
					// Angus Mail reports a connection that ended mid-mail as a failed command too ([EOF]): only one
					// that still answers refused the mail (its addresses), and is kept
					if (connection.transport.isConnected()) {
						pool.returnObject(connection);
						throw e;
					}
					broken(connection);
					if (attempt == 2) {
						throw e;
					}
				}
				catch (MessagingException e) {
					broken(connection);
					if (attempt == 2) {
						throw e;
					}
				}
			}
		}
		catch (Exception e) {
			throw new MailSendException("Mail to " + String.join(", ", message.getTo()) + " was not sent: " + e, e);
		}
	}

	/**
	 * A connection that broke (the server restarted, an idle one was closed): the other idle ones are likely broken
	 * too, so they go, and the mail is tried once more on a new connection.
	 */
	private void broken(Connection connection) throws Exception {
		pool.invalidateObject(connection);
		pool.clear();
	}

	@Override
	public void close() {
		pool.close();
	}
}
