package com.acme.helpdesk.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/**
 * A TCP proxy on a port of its own that forwards every connection to a target (PostgreSQL on 127.0.0.1:5432, say),
 * and can be cut: {@link #cut()} closes every connection and stops listening, so new ones are refused as by a server
 * that is down; {@link #restore()} listens again on the same port.
 */
public final class CuttableProxy implements AutoCloseable {

	/** The server of a JDBC URL: host and, if given, port. */
	private static final java.util.regex.Pattern SERVER = java.util.regex.Pattern.compile("//([^/:?]+)(?::(\\d+))?/");

	private final InetSocketAddress target;
	private final int port;
	private final Set<Socket> open = new HashSet<>();
	private ServerSocket listener;

	private CuttableProxy(InetSocketAddress target) {
		this.target = target;
		this.listener = listen(0);
		this.port = listener.getLocalPort();
		accept(listener);
	}

	/** A proxy to the server of a JDBC URL ({@code jdbc:postgresql://host[:port]/database...}, port 5432 if none). */
	public static CuttableProxy toDatabaseOf(String jdbcUrl) {
		var server = SERVER.matcher(jdbcUrl);
		if (!server.find()) {
			throw new IllegalArgumentException("no host in " + jdbcUrl);
		}
		return to(server.group(1), server.group(2) == null ? 5432 : Integer.parseInt(server.group(2)));
	}

	/** {@code jdbcUrl} with its server replaced by this proxy. */
	public String through(String jdbcUrl) {
		return SERVER.matcher(jdbcUrl).replaceFirst("//127.0.0.1:" + port + "/");
	}

	public static CuttableProxy to(String host, int port) {
		return new CuttableProxy(new InetSocketAddress(host, port));
	}

	public int port() {
		return port;
	}

	/** Closes every connection through the proxy and refuses new ones. */
	public synchronized void cut() {
		close(listener);
		listener = null;
		open.forEach(CuttableProxy::close);
		open.clear();
	}

	/** Takes connections again, on the same port. */
	public synchronized void restore() {
		if (listener == null) {
			listener = listen(port);
			accept(listener);
		}
	}

	@Override
	public void close() {
		cut();
	}

	private static ServerSocket listen(int port) {
		try {
			var socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			return socket;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private void accept(ServerSocket server) {
		daemon("proxy-accept-" + port, () -> {
			while (!server.isClosed()) {
				Socket client;
				try {
					client = server.accept();
				}
				catch (IOException e) {
					return;
				}
				daemon("proxy-connect-" + port, () -> connect(server, client));
			}
		});
	}

	private void connect(ServerSocket server, Socket client) {
		var upstream = new Socket();
		try {
			upstream.connect(target, 5000);
		}
		catch (IOException e) {
			close(client);
			return;
		}
		synchronized (this) {
			// accepted before a cut: refused as the connections it closed
			if (listener != server) {
				close(client);
				close(upstream);
				return;
			}
			open.add(client);
			open.add(upstream);
		}
		daemon("proxy-up-" + port, () -> pipe(client, upstream));
		daemon("proxy-down-" + port, () -> pipe(upstream, client));
	}

	private void pipe(Socket from, Socket to) {
		var buffer = new byte[16384];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException e) {
			// closed by a cut or by either side
		}
		finally {
			synchronized (this) {
				open.remove(from);
				open.remove(to);
			}
			close(from);
			close(to);
		}
	}

	private static void daemon(String name, Runnable task) {
		var thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void close(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception e) {
			// already closed
		}
	}
}
