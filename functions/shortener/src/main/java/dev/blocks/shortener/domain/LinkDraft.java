package dev.blocks.shortener.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a client asks to create; {@code alias}, {@code expiresAt} and {@code maxVisits} may be null, and so may an
 * item of {@code tags}: one that was not a string, for {@link LinkRules} to refuse by its index.
 */
public record LinkDraft(String url, String alias, Instant expiresAt, Long maxVisits, List<String> tags) {

    public LinkDraft {
        // Not List.copyOf: it throws on the null a non-string tag leaves, which must become a 400 naming tags[i].
        tags = tags == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tags));
    }

    public LinkDraft withUrl(String newUrl) {
        return new LinkDraft(newUrl, alias, expiresAt, maxVisits, tags);
    }
}
