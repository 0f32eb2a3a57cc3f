package dev.blocks.shortener.handlers;

import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.shortener.domain.CodeAllocator;
import dev.blocks.shortener.domain.DurableBlockSource;
import dev.blocks.shortener.domain.Link;
import dev.blocks.shortener.domain.LinkDraft;
import dev.blocks.shortener.store.GuardedRedis;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.MetricNames;
import dev.blocks.shortener.store.RedisLinkCache;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Stores a validated draft under its alias or a fresh code: one conditional put (plus one Redis INCRBY per block
 * of codes). The put's condition is what makes a taken alias a 409 without reading first.
 */
final class Creation {

    private static final Logger LOG = Logger.getLogger(Creation.class);

    private final CodeAllocator codes;
    private final LinkTable table;
    private final RedisLinkCache redisCache;
    private final Metrics metrics;
    private final int attempts;

    Creation(CodeAllocator codes, LinkTable table, RedisLinkCache redisCache, Metrics metrics, int attempts) {
        this.codes = codes;
        this.table = table;
        this.redisCache = redisCache;
        this.metrics = metrics;
        this.attempts = attempts;
    }

    Link create(LinkDraft draft, String owner, Instant now) {
        return draft.alias() != null ? withAlias(draft, owner, now) : withCode(draft, owner, now);
    }

    private Link withAlias(LinkDraft draft, String owner, Instant now) {
        Link link = Link.create(draft.alias(), draft, owner, now);
        if (!table.create(link)) {
            throw ProblemException.conflict("the alias '" + draft.alias() + "' is taken");
        }
        // The alias may have been looked up before it existed: drop a cached "unknown" (not waited on).
        redisCache.forget(link.code());
        return link;
    }

    private Link withCode(LinkDraft draft, String owner, Instant now) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            String code;
            try {
                code = codes.next();
            } catch (GuardedRedis.Unavailable | DurableBlockSource.Contended e) {
                throw ProblemException.unavailable("new codes cannot be reserved right now", 1);
            }
            Link link = Link.create(code, draft, owner, now);
            if (table.create(link)) {
                return link;
            }
            // Only an alias that happens to look like a generated code gets here (the counter never repeats).
            metrics.increment(MetricNames.CODE_COLLISIONS);
            LOG.warnf("generated code %s was taken; trying another", code);
        }
        throw ProblemException.unavailable("no free code was found; retry", 1);
    }
}
