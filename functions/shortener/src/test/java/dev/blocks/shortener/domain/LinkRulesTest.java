package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
        assertThat(rules.check(url(url), NOW)).containsExactly(new Violation("url", "must not point at the shortener itself"));
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
    }

    @Test
    void malformedUrlsAreLeftToTheUrlPolicy() {
        assertThat(rules.check(url("ht tp://bad"), NOW)).isEmpty();
        assertThat(rules.check(url("mailto:x@sho.rt"), NOW)).isEmpty();
    }

    @Test
    void expiryMustBeInTheFutureAndWithinTenYears() {
        assertThat(rules.check(new LinkDraft("https://e.org", null, NOW, null, null), NOW))
                .containsExactly(new Violation("expiresAt", "must be in the future"));
        assertThat(rules.check(new LinkDraft("https://e.org", null, NOW.minusSeconds(1), null, null), NOW)).hasSize(1);
        assertThat(rules.check(new LinkDraft("https://e.org", null, NOW.plus(Duration.ofDays(3651)), null, null), NOW))
                .extracting(Violation::field).containsExactly("expiresAt");
        assertThat(rules.check(new LinkDraft("https://e.org", null, NOW.plus(Duration.ofDays(3650)), null, null), NOW)).isEmpty();
    }

    @Test
    void maxVisitsIsPositiveAndBounded() {
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, 0L, null), NOW)).extracting(Violation::field).containsExactly("maxVisits");
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, -3L, null), NOW)).hasSize(1);
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, LinkRules.MAX_VISITS + 1, null), NOW)).hasSize(1);
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, 1L, null), NOW)).isEmpty();
    }

    @Test
    void tagsAreFewShortDistinctAndSafe() {
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, null, Collections.nCopies(11, "x")), NOW))
                .extracting(Violation::field).contains("tags");
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, null, List.of("ok", "not ok", "ok")), NOW))
                .extracting(Violation::field).containsExactly("tags[1]", "tags[2]");
        assertThat(rules.check(new LinkDraft("https://e.org", null, null, null, List.of("x".repeat(33))), NOW)).hasSize(1);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(rules.check(new LinkDraft("https://sho.rt/x", "v1", NOW, 0L, List.of("")), NOW))
                .extracting(Violation::field).containsExactly("url", "alias", "expiresAt", "maxVisits", "tags[0]");
    }
}
