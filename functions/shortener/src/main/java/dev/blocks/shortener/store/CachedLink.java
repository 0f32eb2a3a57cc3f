package dev.blocks.shortener.store;

import dev.blocks.shortener.domain.Link;

/** What a cache knows about a code: the link, or that there is none (unknown or deleted). */
public sealed interface CachedLink {

    record Found(Link link) implements CachedLink {}

    /** No link: never existed ({@code deleted} false) or was deleted. Both answer 404. */
    record Absent(boolean deleted) implements CachedLink {}
}
