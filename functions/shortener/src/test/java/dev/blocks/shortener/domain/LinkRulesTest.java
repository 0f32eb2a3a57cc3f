package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.kit.validation.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final LinkRules rules = new LinkRules(List.of("sho.rt", "API.example.com."));

    private static LinkDraft url(String url) {
        return new LinkDraft(url, null, null, null, null);
    }

    @Test
    void aPlainLinkIsFine() {
        assertThat(rules.check(new LinkDraft("https://example.org/a?b=c", "my-alias", NOW.plusSeconds(60), 3L,
                List.of("a", "b:c")), NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://sho.rt/abc", "http://SHO.RT./x", "https://eu.sho.rt/abc", "https://api.example.com/v1/links",
            "https://sho.rt:8443/abc"})
    void refusesLinksToItself(String url) {
        assertThat(rules.check(url(url), NOW)).containsExactly(new FieldError("url", "must not point at the shortener itself"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://ｓｈｏ.ｒｔ/x", "https://sho。rt/x", "https://sho．rt/x", "https://sho｡rt/x",
            "https://ＳＨＯ。ＲＴ。/x", "https://eu。ｓｈｏ.rt/x", "https://ｓｈｏ.ｒｔ：8443/x", "https://ＡＰＩ.example.com/v1",
            "https://api。example。com./v1"})
    void refusesUnicodeSpellingsOfItself(String url) {
        assertThat(rules.check(url(url), NOW)).containsExactly(new FieldError("url", "must not point at the shortener itself"));
    }

    @Test
    void ownHostsMayBeGivenInUnicodeAndLinksInPunycodeOrTheOtherWayRound() {
        LinkRules international = new LinkRules(List.of("bücher.example", "xn--74h.example", "[2001:db8::1]"));
        for (String url : new String[] {"https://xn--bcher-kva.example/x", "https://BÜCHER.example/x",
                "https://shop.bücher.example/x", "https://☺.example/", "https://[2001:DB8:0::1]:443/"}) {
            assertThat(international.check(url(url), NOW)).as(url).hasSize(1);
        }
        assertThat(international.check(url("https://bucher.example/x"), NOW)).isEmpty();
        assertThat(international.check(url("https://[2001:db8::2]/"), NOW)).isEmpty();
    }

    @Test
    void anOwnHostThatIsNoHostNameIsAConfigurationError() {
        assertThatThrownBy(() -> new LinkRules(List.of("sho.rt/x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sho.rt/x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://notsho.rt/abc", "https://sho.rt.evil.example/x", "https://example.com/sho.rt"})
    void otherHostsThatMerelyResembleItAreFine(String url) {
        assertThat(rules.check(url(url), NOW)).isEmpty();
    }

    @Test
    void theRequestHostIsRefusedToo() {
        LinkRules withHost = rules.alsoRefusing("abc123.execute-api.us-east-1.amazonaws.com:443");
        assertThat(withHost.check(url("https://abc123.execute-api.us-east-1.amazonaws.com/x"), NOW)).hasSize(1);
        assertThat(rules.alsoRefusing(null)).isSameAs(rules);
        assertThat(rules.alsoRefusing("[2001:db8::7]:8443").check(url("https://[2001:db8:0::7]/x"), NOW)).hasSize(1);
        assertThat(rules.alsoRefusing("ｌｉｎｋｓ.example").check(url("https://links.example/x"), NOW)).hasSize(1);
        // A Host header that is no name changes nothing: no link URL can carry it.
        assertThat(rules.alsoRefusing("bad host/").check(url("https://example.org/"), NOW)).isEmpty();
    }

    @Test
    void malformedUrlsAreLeftToTheUrlPolicy() {
        assertThat(rules.check(url("ht tp://bad"), NOW)).isEmpty();
        assertThat(rules.check(url("mailto:x@sho.rt"), NOW)).isEmpty();
    }

    @Test
    void expiryMustBeInTheFutureAndWithinTenYears() {
        assertThat(rules.check(new LinkDraft("https://e.org", null, NOW, null, null), NOW))
                .containsExactly(new FieldError("expiresAt", "must be in the future"));
        assertThat(rules.check(new LinkDraft("https://e.org", null, NOW.minusSeconds(1), null, null), NOW)).hasSize(1);
        assertThat(rules.check(new LinkDraft("https://e.org", null, NOW.plus(Duration.ofDays(3651)), null, null), NOW))
                .extracting(FieldError::field).containsExactly("expiresAt");
        assertThat(rules.check(new LinkDraft("https://e.org", null, NOW.plus(Duration.ofDays(3650)), null, null), NOW)).isEmpty();
    }

    @Test
    void maxVisitsIsPositiveAndBounded() {
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, 0L, null), NOW)).extracting(FieldError::field).containsExactly("maxVisits");
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, -3L, null), NOW)).hasSize(1);
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, LinkRules.MAX_VISITS + 1, null), NOW)).hasSize(1);
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, 1L, null), NOW)).isEmpty();
    }

    @Test
    void tagsAreFewShortDistinctAndSafe() {
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, null, Collections.nCopies(11, "x")), NOW))
                .extracting(FieldError::field).contains("tags");
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, null, List.of("ok", "not ok", "ok")), NOW))
                .extracting(FieldError::field).containsExactly("tags[1]", "tags[2]");
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, null, List.of("x".repeat(33))), NOW)).hasSize(1);
        // A tag that was not a string reaches the rules as null (found by FuzzIT: "tags":[-0,"b"] was a 500).
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, null, Arrays.asList(null, "b")), NOW))
                .extracting(FieldError::field).containsExactly("tags[0]");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(rules.check(new LinkDraft("https://sho.rt/x", "v1", NOW, 0L, List.of("")), NOW))
                .extracting(FieldError::field).containsExactly("url", "alias", "expiresAt", "maxVisits", "tags[0]");
    }
}
