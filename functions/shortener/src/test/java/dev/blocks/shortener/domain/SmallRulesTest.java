package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmallRulesTest {

    @Test
    void referrersReduceToTheirSite() {
        assertThat(Referrer.site(null)).isEqualTo(Referrer.DIRECT);
        assertThat(Referrer.site("  ")).isEqualTo(Referrer.DIRECT);
        assertThat(Referrer.site("https://WWW.Example.COM./path?q")).isEqualTo("example.com");
        assertThat(Referrer.site("android-app://com.google.android.gm/")).isEqualTo("com.google.android.gm");
        assertThat(Referrer.site("not a url")).isEqualTo(Referrer.UNKNOWN);
        assertThat(Referrer.site("about:blank")).isEqualTo(Referrer.UNKNOWN);
    }

    @Test
    void visitorIdsAreStableKeyedAndOpaque() {
        VisitorId ids = new VisitorId("secret");
        assertThat(ids.of("203.0.113.9")).isEqualTo(ids.of("203.0.113.9")).hasSize(16).matches("[0-9a-f]{16}")
                .doesNotContain("203");
        assertThat(ids.of("203.0.113.9")).isNotEqualTo(ids.of("203.0.113.10"));
        assertThat(new VisitorId("other").of("203.0.113.9")).isNotEqualTo(ids.of("203.0.113.9"));
        assertThatThrownBy(() -> new VisitorId("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cacheLifetimesStayWithinTheirSpread() {
        CacheTtl ttl = new CacheTtl(Duration.ofSeconds(10), 0.2);
        Random random = new Random(1);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long ms = ttl.sample(random).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isBetween(8_000L, 8_100L);
        assertThat(max).isBetween(11_900L, 12_000L);
        assertThat(ttl.max()).isEqualTo(Duration.ofSeconds(12));
        assertThat(new CacheTtl(Duration.ofSeconds(1), 0).sample(random)).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> new CacheTtl(Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CacheTtl(Duration.ofSeconds(1), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLinkExpiresAtItsExpiryInstantNotAfter() {
        Instant at = Instant.parse("2026-11-24T10:00:00Z");
        Link link = Link.create("abc", new LinkDraft("https://e.org", null, at, null, List.of("t")), "owner", at.minusSeconds(60));
        assertThat(link.expiredAt(at.minusMillis(1))).isFalse();
        assertThat(link.expiredAt(at)).isTrue();
        assertThat(link.visitLimited()).isFalse();
        assertThat(link.createdAt()).isEqualTo(at.minusSeconds(60));
        Link forever = Link.create("abc", new LinkDraft("https://e.org", null, null, 3L, null), "owner", at);
        assertThat(forever.expiredAt(Instant.MAX)).isFalse();
        assertThat(forever.visitLimited()).isTrue();
        assertThat(forever.tags()).isEmpty();
    }
}
