package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The ASCII form of link URLs, and the host they are compared by. */
class LinkUrlTest {

    private static LinkUrl parse(String raw) {
        try {
            return LinkUrl.parse(raw);
        } catch (LinkUrl.Invalid e) {
            throw new AssertionError(raw + " was refused: " + e.getMessage(), e);
        }
    }

    private static String refusal(String raw) {
        try {
            LinkUrl url = LinkUrl.parse(raw);
            throw new AssertionError(raw + " was accepted as " + url);
        } catch (LinkUrl.Invalid e) {
            return e.getMessage();
        }
    }

    @Test
    void anInternationalNameAndUnicodePathBecomePunycodeAndPercentEscapes() {
        LinkUrl url = parse("https://bücher.example/straße?q=ä");
        assertThat(url.ascii()).isEqualTo("https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4");
        assertThat(url.host()).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void anAsciiUrlIsKeptExactlyEscapesFragmentAndAll() {
        String exact = "https://example.com/a/b%20c?q=1&r=%C3%A9&empty=#frag";
        assertThat(parse(exact).ascii()).isEqualTo(exact);
        assertThat(parse("http://example.com").ascii()).isEqualTo("http://example.com");
        assertThat(parse("https://example.com:8443/p?x=%2F&y=a+b;c=d,e!$'()*~").ascii())
                .isEqualTo("https://example.com:8443/p?x=%2F&y=a+b;c=d,e!$'()*~");
        // Lower-case escapes are valid too and stay as they were.
        assertThat(parse("https://example.com/%c3%a9").ascii()).isEqualTo("https://example.com/%c3%a9");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://example.com/a b|https://example.com/a%20b",
        "https://example.com/?q=a b c|https://example.com/?q=a%20b%20c",
        "https://example.com/100%|https://example.com/100%25",
        "https://example.com/%zz%4|https://example.com/%25zz%254",
        "https://example.com/%E9t%C3%A9|https://example.com/%E9t%C3%A9",
        "https://example.com/\"<>^`{}[]\\|https://example.com/%22%3C%3E%5E%60%7B%7D%5B%5D%5C",
        "https://example.com/é#é|https://example.com/%C3%A9#%C3%A9",
        "https://example.com/x#a#b|https://example.com/x#a%23b",
        "https://example.com/😀|https://example.com/%F0%9F%98%80",
        "https://example.com/ｓ|https://example.com/%EF%BD%93",
    })
    void pathQueryAndFragmentAreSentPercentEncoded(String raw, String ascii) {
        assertThat(parse(raw).ascii()).isEqualTo(ascii);
        // Whatever came in, what goes out is a URI Java parses and pure ASCII.
        assertThat(URI.create(ascii).toASCIIString()).isEqualTo(ascii);
    }

    @Test
    void aVerticalBarIsEncodedToo() {
        assertThat(parse("https://example.com/a?b=c|d").ascii()).isEqualTo("https://example.com/a?b=c%7Cd");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // fullwidth letters, the three ideographic full stops, mixed case, a trailing dot
        "https://ｓｈｏ.ｒｔ/x|https://sho.rt/x|sho.rt",
        "https://sho。rt/x|https://sho.rt/x|sho.rt",
        "https://sho．rt/x|https://sho.rt/x|sho.rt",
        "https://sho｡rt/x|https://sho.rt/x|sho.rt",
        "https://ＳＨＯ。ＲＴ/x|https://sho.rt/x|sho.rt",
        "https://ShO.Rt/x|https://sho.rt/x|sho.rt",
        "https://sho.rt./x|https://sho.rt./x|sho.rt",
        "https://ｓｈｏ.ｒｔ．/x|https://sho.rt./x|sho.rt",
        "HTTPS://Sho.RT:8443/x|https://sho.rt:8443/x|sho.rt",
        "https://ｓｈｏ.ｒｔ：443/x|https://sho.rt:443/x|sho.rt",
        // punycode already, in any case
        "https://xn--bcher-kva.example/|https://xn--bcher-kva.example/|xn--bcher-kva.example",
        "https://XN--BCHER-KVA.Example/|https://xn--bcher-kva.example/|xn--bcher-kva.example",
        "https://BÜCHER.example/|https://xn--bcher-kva.example/|xn--bcher-kva.example",
        // an emoji assigned in Unicode 3.2 is a name IDNA 2003 encodes
        "https://☺.example/|https://xn--74h.example/|xn--74h.example",
        // fullwidth digits are digits: the URL policy then sees the loopback address for what it is
        "http://１２７.０.０.１/admin|http://127.0.0.1/admin|127.0.0.1",
    })
    void hostsAreNormalisedAsABrowserResolvesThem(String raw, String ascii, String host) {
        LinkUrl url = parse(raw);
        assertThat(url.ascii()).isEqualTo(ascii);
        assertThat(url.host()).isEqualTo(host);
    }

    @Test
    void ipv6LiteralsKeepTheirSpellingAndCompareInOne() {
        LinkUrl url = parse("https://[2001:DB8::1]:8443/x");
        assertThat(url.ascii()).isEqualTo("https://[2001:db8::1]:8443/x");
        assertThat(url.host()).isEqualTo("[2001:db8:0:0:0:0:0:1]");
        assertThat(parse("https://[2001:db8:0:0::1]/").host()).isEqualTo(url.host());
        assertThat(parse("https://［2001:db8::1］/").host()).isEqualTo(url.host());
        assertThat(parse("http://[::ffff:192.0.2.1]/").ascii()).isEqualTo("http://[::ffff:192.0.2.1]/");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://[fe80::1%25eth0]/",  // zone ids are no public address
        "https://[::1/",
        "https://[::1]x/",
        "https://[v1.fe80]/",
        "https://[sho.rt]/",
        "https://[1.2.3.4]/",
    })
    void malformedIpv6LiteralsAreRefused(String raw) {
        assertThat(refusal(raw)).contains("host");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://user@sho.rt/",
        "https://sho.rt@evil.example/",
        "https://evil.example＠sho.rt/",     // fullwidth commercial at
        "https://evil.example﹫sho.rt/",     // small commercial at
        "https://user:pass@example.com/",
        "https://:@example.com/",
    })
    void credentialsAreRefusedSoNoUserinfoTrickCanHideAHost(String raw) {
        assertThat(refusal(raw)).isEqualTo("credentials in the URL are not allowed");
    }

    @Test
    void aBackslashAfterTheHostIsRefused() {
        // A browser reads https://sho.rt\@evil.example as sho.rt; java.net.URI would read evil.example.
        assertThat(refusal("https://sho.rt\\@evil.example/")).contains("backslash");
        assertThat(refusal("https://sho.rt\\x")).contains("backslash");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://💩.la/",              // assigned after Unicode 3.2: IDNA 2003 refuses it
        "https://sho%2Ert/",           // browsers decode escapes in hosts: refused rather than guessed
        "https://sho.rt%00.evil.example/",
        "https://my_host.example/",
        "https://a b.example/",
        "https://sho..rt/",
        "https://.sho.rt/",
        "https://-sho.rt/",
        "https://evil.example／sho.rt/",  // a fullwidth solidus becomes '/' inside the host
        "https:///path",
        "https://:443/",
        "https://./",
    })
    void hostsThatAreNoNamesAreRefused(String raw) {
        assertThat(refusal(raw)).contains("host");
    }

    @Test
    void aLabelTooLongForDnsIsRefused() {
        assertThat(refusal("https://" + "a".repeat(64) + ".example/")).contains("host");
        assertThat(parse("https://" + "a".repeat(63) + ".example/").host()).startsWith("aaa");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "javascript:alert(1)|only http and https URLs are allowed",
        "data:text/html,x|only http and https URLs are allowed",
        "ftp://example.com/|only http and https URLs are allowed",
        "mailto:x@sho.rt|only http and https URLs are allowed",
        "not a url|not a valid URL: it has no scheme",
        "://example.com|not a valid URL: it has no scheme",
        "https:example.com|the URL has no host",
        "https://example.com:80a/|invalid port",
        "https://example.com/a\tb|contains control characters",
        "https://example.com/a\u007fb|contains control characters",
    })
    void otherUrlsAreRefusedWithTheReason(String raw, String reason) {
        assertThat(refusal(raw)).isEqualTo(reason);
    }

    @Test
    void emptyAndUnpairedSurrogatesAreRefused() {
        assertThat(refusal("")).isEqualTo("a URL is required");
        assertThat(refusal(null)).isEqualTo("a URL is required");
        assertThat(refusal("https://example.com/\ud800x")).isEqualTo("not valid Unicode");
        assertThat(refusal("https://example.com/x\udc00")).isEqualTo("not valid Unicode");
    }

    @Test
    void theAsciiFormIsStable() {
        for (String raw : new String[] {"https://bücher.example/straße?q=ä#ü", "https://ｓｈｏ.ｒｔ/a b%zz",
                "https://[2001:DB8::1]/é", "http://example.com"}) {
            String once = parse(raw).ascii();
            assertThat(parse(once).ascii()).as(raw).isEqualTo(once);
            assertThat(once.chars().allMatch(c -> c > 0x20 && c < 0x7f)).as(once).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sho.rt|sho.rt",
        "SHO.RT.|sho.rt",
        "ｓｈｏ。ｒｔ|sho.rt",
        "bücher.example|xn--bcher-kva.example",
        "[2001:DB8::1]|[2001:db8:0:0:0:0:0:1]",
    })
    void ownHostsAreKeyedAsLinkHostsAre(String host, String key) throws Exception {
        assertThat(LinkUrl.hostKey(host)).isEqualTo(key);
    }

    @Test
    void anOwnHostThatIsNoNameHasNoKey() {
        assertThatThrownBy(() -> LinkUrl.hostKey("sho.rt:443")).isInstanceOf(LinkUrl.Invalid.class);
        assertThatThrownBy(() -> LinkUrl.hostKey("")).isInstanceOf(LinkUrl.Invalid.class);
    }
}
