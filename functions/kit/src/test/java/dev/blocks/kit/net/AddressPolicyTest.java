package dev.blocks.kit.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {

    @ParameterizedTest
    @CsvSource({
            "8.8.8.8, true", "1.1.1.1, true", "93.184.216.34, true", "172.15.255.255, true", "172.32.0.0, true",
            "100.63.255.255, true", "100.128.0.0, true", "169.253.255.255, true", "223.255.255.255, true",
            "0.1.2.3, false", "10.255.255.255, false", "127.0.0.1, false", "169.254.0.1, false",
            "172.16.0.0, false", "192.168.0.1, false", "100.64.0.0, false", "192.0.2.1, false", "198.18.0.1, false",
            "198.51.100.7, false", "203.0.113.9, false", "224.0.0.251, false", "240.0.0.1, false",
            "2606:4700:4700::1111, true", "2001:4860:4860::8888, true",
            "::1, false", "::, false", "fe80::1, false", "febf::1, false", "fc00::1, false", "fdff::1, false",
            "ff02::1, false", "2001:db8::1, false", "::ffff:8.8.8.8, true", "::ffff:192.168.0.1, false",
            "2002:0808:0808::, true", "2002:0a00:0001::, false", "64:ff9b::808:808, true", "64:ff9b::7f00:1, false",
            "3fff::1, true", "4000::1, false", "100::1, false"})
    void classifiesAddresses(String address, boolean expected) throws Exception {
        assertThat(AddressPolicy.isPublic(InetAddress.getByName(address))).as(address).isEqualTo(expected);
    }
}
