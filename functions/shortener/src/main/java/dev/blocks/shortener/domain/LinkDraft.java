package dev.blocks.shortener.domain;

import java.time.Instant;
import java.util.List;

/** What a client asks to create; {@code alias}, {@code expiresAt} and {@code maxVisits} may be null. */
public record LinkDraft(String url, String alias, Instant expiresAt, Long maxVisits, List<String> tags) {

    public LinkDraft {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public LinkDraft withUrl(String newUrl) {
        return new LinkDraft(newUrl, alias, expiresAt, maxVisits, tags);
    }
}
