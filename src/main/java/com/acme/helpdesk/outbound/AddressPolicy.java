package com.acme.helpdesk.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which addresses a merchant's URL may reach: none in the ranges below (loopback, private, link-local, unspecified,
 * multicast, broadcast, carrier-grade NAT, documentation and other special-purpose ranges, IPv6 unique-local,
 * link-local and site-local, and IPv6 forms that embed such an IPv4 address), unless an entry of the allow list
 * names them. Host spellings are read as the system resolver reads them ({@code 0x7f.1}, {@code 2130706433} and
 * {@code 017700000001} are all {@code 127.0.0.1}).
 */
final class AddressPolicy {

	private record Range(Cidr cidr, String what) {
	}

	/** An allow-list entry: a range (any port when {@code port} is -1) or a host name with its port. */
	private record Allowed(Cidr cidr, String hostName, int port) {

		boolean allows(InetAddress address, int port) {
			return cidr != null && cidr.contains(address) && (this.port == -1 || this.port == port);
		}

		boolean allows(String hostName, int port) {
			return this.hostName != null && this.hostName.equals(hostName) && this.port == port;
		}
	}

	private static final List<Range> FORBIDDEN = List.of(
			range("255.255.255.255/32", "the broadcast address"),
			range("0.0.0.0/8", "an unspecified (\"this network\") address"),
			range("10.0.0.0/8", "a private (RFC 1918) address"),
			range("100.64.0.0/10", "a carrier-grade NAT address"),
			range("127.0.0.0/8", "a loopback address"),
			range("169.254.0.0/16", "a link-local address (cloud metadata lives there)"),
			range("172.16.0.0/12", "a private (RFC 1918) address"),
			range("192.0.0.0/24", "an IETF protocol assignment address"),
			range("192.0.2.0/24", "a documentation address"),
			range("192.168.0.0/16", "a private (RFC 1918) address"),
			range("198.18.0.0/15", "a benchmarking address"),
			range("198.51.100.0/24", "a documentation address"),
			range("203.0.113.0/24", "a documentation address"),
			range("224.0.0.0/4", "a multicast address"),
			range("240.0.0.0/4", "a reserved address"),
			range("::/128", "the unspecified address"),
			range("::1/128", "a loopback address"),
			range("64:ff9b:1::/48", "a local-use NAT64 address"),
			range("100::/64", "a discard-only address"),
			range("2001::/32", "a Teredo address"),
			range("2001:db8::/32", "a documentation address"),
			range("fc00::/7", "a unique-local address"),
			range("fe80::/10", "a link-local address"),
			range("fec0::/10", "a site-local address"),
			range("ff00::/8", "a multicast address"));

	/** IPv6 ranges that carry an IPv4 address, and where it starts: that address is checked too. */
	private static final List<Cidr> EMBEDDING_IPV4 = List.of(Cidr.parse("::ffff:0:0/96"), Cidr.parse("::/96"),
			Cidr.parse("::ffff:0:0:0/96"), Cidr.parse("64:ff9b::/96"), Cidr.parse("2002::/16"));

	private static final Pattern NUMERIC_LABEL = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");

	private final List<Allowed> allowed;

	AddressPolicy(List<String> allowList) {
		var entries = new ArrayList<Allowed>();
		for (var entry : allowList) {
			if (!entry.isBlank()) {
				entries.add(allowed(entry.strip()));
			}
		}
		this.allowed = List.copyOf(entries);
	}

	/** Why the address may not be reached on that port; empty when it may. */
	Optional<String> refusal(InetAddress address, int port) {
		if (allowed.stream().anyMatch(entry -> entry.allows(address, port))) {
			return Optional.empty();
		}
		return forbiddenRange(address);
	}

	/** Whether the allow list names this host (a name, lower case, without a trailing dot) with this port. */
	boolean allowsName(String hostName, int port) {
		return allowed.stream().anyMatch(entry -> entry.allows(hostName, port));
	}

	/** Why a host name may not be used whatever it resolves to: the {@code localhost} names. */
	static Optional<String> refusedName(String hostName) {
		return hostName.equals("localhost") || hostName.endsWith(".localhost") ? Optional.of("names the local host")
				: Optional.empty();
	}

	/** The host as the URL's authority gives it, lower case, without brackets and without a trailing dot. */
	static String normalized(String uriHost) {
		var host = uriHost.toLowerCase(Locale.ROOT);
		if (host.startsWith("[") && host.endsWith("]")) {
			return host.substring(1, host.length() - 1);
		}
		return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
	}

	/**
	 * The address a host spelled as an IP literal stands for, in any spelling a resolver accepts (IPv6; IPv4 in one to
	 * four parts, each decimal, octal with a leading {@code 0} or hexadecimal with {@code 0x}); empty for a host
	 * name. Never asks DNS.
	 *
	 * @throws IllegalArgumentException for a host that looks numeric but is no valid address
	 */
	static Optional<InetAddress> literal(String host) {
		if (host.contains(":")) {
			if (host.contains("%")) {
				throw new IllegalArgumentException("IPv6 zone ids are not allowed");
			}
			if (!host.matches("[0-9a-f:.]+")) {
				throw new IllegalArgumentException("is no valid IPv6 address");
			}
			return Optional.of(byAddress(host));
		}
		var labels = host.split("\\.", -1);
		if (!NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
			return Optional.empty();
		}
		if (labels.length > 4) {
			throw new IllegalArgumentException("is no valid IPv4 address");
		}
		var value = 0L;
		for (int i = 0; i < labels.length; i++) {
			var part = number(labels[i]);
			var last = i == labels.length - 1;
			var bits = last ? 8 * (4 - i) : 8;
			if (part >= (1L << bits)) {
				throw new IllegalArgumentException("is no valid IPv4 address");
			}
			value = last ? (value << bits) | part : (value << 8) | part;
		}
		var bytes = new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
		try {
			return Optional.of(InetAddress.getByAddress(bytes));
		}
		catch (UnknownHostException e) {
			throw new IllegalStateException(e);
		}
	}

	private static long number(String label) {
		if (!NUMERIC_LABEL.matcher(label).matches()) {
			throw new IllegalArgumentException("is no valid IPv4 address");
		}
		try {
			if (label.startsWith("0x") || label.startsWith("0X")) {
				return label.length() == 2 ? 0 : Long.parseLong(label.substring(2), 16);
			}
			if (label.length() > 1 && label.startsWith("0")) {
				return Long.parseLong(label.substring(1), 8);
			}
			return Long.parseLong(label);
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("is no valid IPv4 address");
		}
	}

	private static Optional<String> forbiddenRange(InetAddress address) {
		for (var range : FORBIDDEN) {
			if (range.cidr().contains(address)) {
				return Optional.of(range.what());
			}
		}
		if (address instanceof Inet6Address) {
			var bytes = address.getAddress();
			for (var embedding : EMBEDDING_IPV4) {
				if (embedding.contains(address)) {
					var offset = embedding.prefixLength() == 16 ? 2 : 12;
					var inner = forbiddenRange(byAddress(Arrays.copyOfRange(bytes, offset, offset + 4)));
					if (inner.isPresent()) {
						return Optional.of(inner.get() + " embedded in IPv6");
					}
				}
			}
		}
		return Optional.empty();
	}

	private static Allowed allowed(String entry) {
		try {
			if (entry.startsWith("[")) {
				var end = entry.indexOf(']');
				var inside = entry.substring(1, end);
				var port = end == entry.length() - 1 ? -1 : port(entry.substring(end + 2));
				return new Allowed(inside.contains("/") ? Cidr.parse(inside) : Cidr.parse(inside + "/128"), null, port);
			}
			if (entry.contains("/")) {
				var colon = entry.lastIndexOf(':');
				if (entry.indexOf(':') == colon && colon > entry.indexOf('/')) {
					return new Allowed(Cidr.parse(entry.substring(0, colon)), null, port(entry.substring(colon + 1)));
				}
				return new Allowed(Cidr.parse(entry), null, -1);
			}
			var colon = entry.lastIndexOf(':');
			var host = normalized(entry.substring(0, colon));
			var port = port(entry.substring(colon + 1));
			var literal = literal(host);
			return literal.isPresent()
					? new Allowed(Cidr.parse(literal.get().getHostAddress() + (literal.get() instanceof Inet4Address ? "/32" : "/128")), null, port)
					: new Allowed(null, host, port);
		}
		catch (RuntimeException e) {
			throw new IllegalArgumentException("helpdesk.outbound.allow: '" + entry
					+ "' is neither host:port nor a CIDR range (a.b.c.d/n, a.b.c.d/n:port, [v6/n]:port)", e);
		}
	}

	private static int port(String text) {
		var port = Integer.parseInt(text);
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port out of range");
		}
		return port;
	}

	private static Range range(String cidr, String what) {
		return new Range(Cidr.parse(cidr), what);
	}

	static InetAddress byAddress(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException e) {
			throw new IllegalArgumentException("is no valid address", e);
		}
	}

	private static InetAddress byAddress(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException e) {
			throw new IllegalArgumentException(e);
		}
	}

	/** An address range; IPv4 and IPv6 ranges never contain each other's addresses. */
	record Cidr(byte[] network, int prefixLength) {

		static Cidr parse(String text) {
			var slash = text.indexOf('/');
			var address = text.substring(0, slash);
			if (!address.matches("[0-9a-fA-F:.]+")) {
				throw new IllegalArgumentException("not an address: " + address);
			}
			var bytes = byAddress(address).getAddress();
			if (address.contains(":") && bytes.length == 4) {
				// the JDK reads ::ffff:a.b.c.d as IPv4; as a range it stays IPv6
				var mapped = new byte[16];
				mapped[10] = (byte) 0xff;
				mapped[11] = (byte) 0xff;
				System.arraycopy(bytes, 0, mapped, 12, 4);
				bytes = mapped;
			}
			var prefix = Integer.parseInt(text.substring(slash + 1));
			if (prefix < 0 || prefix > bytes.length * 8) {
				throw new IllegalArgumentException("prefix out of range: " + text);
			}
			return new Cidr(bytes, prefix);
		}

		boolean contains(InetAddress address) {
			var bytes = address.getAddress();
			if (bytes.length != network.length) {
				return false;
			}
			for (int bit = 0; bit < prefixLength; bit++) {
				var mask = 0x80 >>> (bit % 8);
				if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
					return false;
				}
			}
			return true;
		}
	}
}
