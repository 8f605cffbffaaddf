package com.acme.helpdesk.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A port in front of {@link TestMail}'s SMTP server that can be taken down, as a mail server that is away: while down
 * it drops every connection it accepts, and going down drops those open (an application's pooled SMTP connections
 * too). While up it passes the bytes through both ways.
 */
public final class SmtpGate implements AutoCloseable {

	private final ServerSocket server;
	private final int targetPort;
	private final Set<Socket> open = ConcurrentHashMap.newKeySet();
	private volatile boolean up = true;

	public SmtpGate(int targetPort) {
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		var acceptor = new Thread(this::accept, "smtp-gate");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** A gate in front of {@link TestMail#SMTP}. */
	public static SmtpGate toTestMail() {
		return new SmtpGate(TestMail.SMTP.getSmtp().getPort());
	}

	public int port() {
		return server.getLocalPort();
	}

	/** From now on every connection is dropped, the open ones at once. */
	public void down() {
		up = false;
		open.forEach(SmtpGate::closeQuietly);
		open.clear();
	}

	public void up() {
		up = true;
	}

	@Override
	public void close() {
		down();
		closeQuietly(server);
	}

	private void accept() {
		while (!server.isClosed()) {
			Socket client;
			try {
				client = server.accept();
			}
			catch (IOException e) {
				return;
			}
			if (!up) {
				closeQuietly(client);
				continue;
			}
			try {
				var target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
				open.add(client);
				open.add(target);
				pump(client, target);
				pump(target, client);
			}
			catch (IOException e) {
				closeQuietly(client);
			}
		}
	}

	private void pump(Socket from, Socket to) {
		var thread = new Thread(() -> {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				in.transferTo(out);
			}
			catch (IOException e) {
				// dropped by down() or by either end
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				open.remove(from);
				open.remove(to);
			}
		}, "smtp-gate-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception e) {
			// already closed
		}
	}
}
