package com.acme.helpdesk.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The allow list's forms and the spellings of IP literals, without the application. */
class AddressPolicyTests {

	@ParameterizedTest
	@CsvSource({ "0x7f.1, 127.0.0.1", "2130706433, 127.0.0.1", "017700000001, 127.0.0.1", "127.1, 127.0.0.1",
			"0177.0.0.1, 127.0.0.1", "0x7f.0x0.0.1, 127.0.0.1", "10.1, 10.0.0.1", "192.168.257, 192.168.1.1",
			"0, 0.0.0.0", "8.8.8.8, 8.8.8.8" })
	void readsEverySpellingOfAnIpv4LiteralAsTheResolverWould(String host, String address) throws Exception {
		assertThat(AddressPolicy.literal(host)).contains(InetAddress.getByName(address));
	}

	@ParameterizedTest
	@ValueSource(strings = { "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "08.0.0.1", "0x100000000", "4294967296",
			"example.1", "fe80::1%eth0" })
	void refusesHostsThatLookNumericButAreNoAddress(String host) {
		assertThatThrownBy(() -> AddressPolicy.literal(host)).isInstanceOf(IllegalArgumentException.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.com", "hooks.example.org", "x1.example", "0day.example.com" })
	void leavesHostNamesToTheResolver(String host) {
		assertThat(AddressPolicy.literal(host)).isEmpty();
	}

	@Test
	void aHostAndPortEntryAllowsThatNameOnThatPortOnly() {
		var policy = new AddressPolicy(List.of("localhost:8080", " hooks.internal:443 "));
		assertThat(policy.allowsName("localhost", 8080)).isTrue();
		assertThat(policy.allowsName("localhost", 8081)).isFalse();
		assertThat(policy.allowsName("hooks.internal", 443)).isTrue();
		assertThat(policy.allowsName("other.internal", 443)).isFalse();
	}

	@Test
	void rangeEntriesAllowTheirAddressesOnTheirPortOrAnyPort() throws Exception {
		var policy = new AddressPolicy(List.of("10.0.0.0/8:443", "192.168.1.0/24", "[fd00::/8]:8443", "127.0.0.1:9000",
				"::1/128"));
		assertThat(policy.refusal(InetAddress.getByName("10.1.2.3"), 443)).isEmpty();
		assertThat(policy.refusal(InetAddress.getByName("10.1.2.3"), 80)).contains("a private (RFC 1918) address");
		assertThat(policy.refusal(InetAddress.getByName("192.168.1.77"), 1234)).isEmpty();
		assertThat(policy.refusal(InetAddress.getByName("192.168.2.77"), 1234)).isPresent();
		assertThat(policy.refusal(InetAddress.getByName("fd12::1"), 8443)).isEmpty();
		assertThat(policy.refusal(InetAddress.getByName("fd12::1"), 443)).contains("a unique-local address");
		assertThat(policy.refusal(InetAddress.getByName("127.0.0.1"), 9000)).isEmpty();
		assertThat(policy.refusal(InetAddress.getByName("127.0.0.1"), 9001)).contains("a loopback address");
		assertThat(policy.refusal(InetAddress.getByName("::1"), 1)).isEmpty();
	}

	@Test
	void nothingAllowedRefusesInsideAndLetsPublicAddressesThrough() throws Exception {
		var policy = new AddressPolicy(List.of());
		assertThat(policy.refusal(InetAddress.getByName("169.254.169.254"), 80)).get().asString().contains("link-local");
		assertThat(policy.refusal(InetAddress.getByName("::ffff:10.0.0.1"), 80)).isPresent();
		assertThat(policy.refusal(InetAddress.getByName("64:ff9b::a9fe:a9fe"), 80)).get().asString().contains("embedded");
		assertThat(policy.refusal(InetAddress.getByName("8.8.8.8"), 80)).isEmpty();
		assertThat(policy.refusal(InetAddress.getByName("2606:4700:4700::1111"), 443)).isEmpty();
		assertThat(policy.refusal(InetAddress.getByName("64:ff9b::808:808"), 80)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "nonsense", "10.0.0.0/33", "localhost:0", "localhost", "10.0.0.0/8:99999", "[fd00::/8" })
	void anEntryOfNoKnownFormStopsTheStart(String entry) {
		assertThatThrownBy(() -> new AddressPolicy(List.of(entry))).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("helpdesk.outbound.allow");
	}
}
