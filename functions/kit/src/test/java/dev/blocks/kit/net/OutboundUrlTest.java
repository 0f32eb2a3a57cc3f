package dev.blocks.kit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutboundUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com/a?b=c#d",
            "http://example.com:8080/",
            "https://sub.domain.example.co.uk/path",
            "https://xn--bcher-kva.example/",
            "https://bücher.example/",
            "http://8.8.8.8/",
            "http://[2606:4700:4700::1111]/",
            "https://example.com./trailing-dot"})
    void acceptsPublicHttpUrls(String url) throws Exception {
        assertThat(OutboundUrl.parse(url, false).uri().toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "ftp://example.com/file",
            "file:///etc/passwd",
            "//example.com/no-scheme",
            "https://user:pass@example.com/",
            "https://user@example.com/",
            "http://localhost/",
            "http://LOCALHOST:8080/",
            "http://app.localhost/",
            "http://printer.local/",
            "http://metadata.google.internal/",
            "http://intranet/",
            "http://127.0.0.1/",
            "http://127.1.2.3/",
            "http://0.0.0.0/",
            "http://10.0.0.1/",
            "http://172.16.0.1/",
            "http://172.31.255.255/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "http://[::1]/",
            "http://[::]/",
            "http://[fe80::1]/",
            "http://[fc00::1]/",
            "http://[fd00:ec2::254]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:169.254.169.254]/",
            "http://[::127.0.0.1]/",
            "http://[2002:7f00:1::]/",
            "http://[64:ff9b::a00:1]/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0x7f.1/",
            "http://017700000001/",
            "http://999.1.1.1/",
            "https://exa mple.com/",
            "https://example.com/\u0000",
            "https:///path-only",
            ""})
    void refusesUnsafeOrMalformedUrls(String url) {
        assertThatThrownBy(() -> OutboundUrl.parse(url, false)).isInstanceOf(OutboundUrl.Refused.class);
    }

    @Test
    void refusesOverlongUrls() throws Exception {
        String base = "https://example.com/";
        String ok = base + "a".repeat(OutboundUrl.MAX_LENGTH - base.length());
        assertThat(OutboundUrl.parse(ok, false).uri().toString()).hasSize(OutboundUrl.MAX_LENGTH);
        assertThatThrownBy(() -> OutboundUrl.parse(ok + "a", false)).hasMessageContaining("longer than");
    }

    @Test
    void privateHostsPassOnlyWhenAllowed() throws Exception {
        assertThat(OutboundUrl.parse("http://127.0.0.1:9000/hook", true).host()).isEqualTo("127.0.0.1");
        assertThat(OutboundUrl.parse("http://localhost:9000/hook", true).host()).isEqualTo("localhost");
        assertThatThrownBy(() -> OutboundUrl.parse("javascript:alert(1)", true)).isInstanceOf(OutboundUrl.Refused.class);
    }

    @Test
    void pinnedAddressRefusesANameResolvingToLoopbackEvenAmongPublicOnes() throws Exception {
        PinnedAddress.HostResolver rebinding = host -> List.of(InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("127.0.0.1"));
        assertThatThrownBy(() -> PinnedAddress.resolve("evil.example", false, rebinding))
                .hasMessageContaining("127.0.0.1");
        PinnedAddress.HostResolver mapped = host -> List.of(InetAddress.getByName("::ffff:10.0.0.1"));
        assertThatThrownBy(() -> PinnedAddress.resolve("evil.example", false, mapped))
                .hasMessageContaining("not a public address");
        PinnedAddress pinned = PinnedAddress.resolve("good.example", false,
                host -> List.of(InetAddress.getByName("93.184.216.34")));
        assertThat(pinned.address().getHostAddress()).isEqualTo("93.184.216.34");
    }

    @Test
    void pinnedAddressRefusesNamesThatDoNotResolve() {
        assertThatThrownBy(() -> PinnedAddress.resolve("nowhere.example", false, host -> List.of()))
                .hasMessageContaining("does not resolve");
    }
}
