package dev.blocks.shortener.domain;

import java.time.Instant;
import java.util.List;

/**
 * A short link. {@code expiresAt} and {@code maxVisits} are null when the link has no such limit; only links
 * with {@code maxVisits} pay for counting visits on the redirect path.
 */
public record Link(String code, String url, String owner, Instant createdAt, Instant expiresAt, Long maxVisits,
                   List<String> tags) {

    public Link {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static Link create(String code, LinkDraft draft, String owner, Instant now) {
        return new Link(code, draft.url(), owner, now, draft.expiresAt(), draft.maxVisits(), draft.tags());
    }

    /** Expiry is checked on every read: the store's TTL deletion is lazy (hours to days on DynamoDB). */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean visitLimited() {
        return maxVisits != null;
    }
}
