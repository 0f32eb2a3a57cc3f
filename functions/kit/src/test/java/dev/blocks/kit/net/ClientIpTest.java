package dev.blocks.kit.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientIpTest {

    @Test
    void ipv6AddressesOfOneSlash64ShareAKey() {
        assertThat(ClientIp.key("2001:db8:1:2:aaaa::1")).isEqualTo(ClientIp.key("2001:db8:1:2:bbbb::2"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientIp.key("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff")).isEqualTo("2001:db8:1:2::/64");
    }

    @Test
    void neighbouringSlash64sAreDifferentClients() {
        assertThat(ClientIp.key("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64")
                .isNotEqualTo(ClientIp.key("2001:db8:1:2::1"));
        assertThat(ClientIp.key("::1")).isEqualTo("0:0:0:0::/64");
    }

    @ParameterizedTest
    @CsvSource({"192.0.2.1, 192.0.2.1", "192.0.2.2, 192.0.2.2", "::ffff:192.0.2.1, 192.0.2.1",
            "::ffff:c000:0201, 192.0.2.1", "0:0:0:0:0:ffff:198.51.100.7, 198.51.100.7"})
    void ipv4StaysPerAddressAndMappedIpv6CountsAsIpv4(String address, String key) {
        assertThat(ClientIp.key(address)).isEqualTo(key);
    }

    @Test
    void ipv4AddressesAreNotGrouped() {
        assertThat(ClientIp.key("192.0.2.1")).isNotEqualTo(ClientIp.key("192.0.2.2"));
    }

    @ParameterizedTest
    @CsvSource({"not-an-ip", "zz::1", "256.1.1.1", "example.com", "1.2.3", "2001:db8::1::2"})
    void anythingElseIsItsOwnKeyWithoutALookup(String value) {
        assertThat(ClientIp.key(value)).isEqualTo(value);
    }

    @Test
    void nothingStaysNothing() {
        assertThat(ClientIp.key(null)).isNull();
        assertThat(ClientIp.key("")).isEmpty();
    }
}
