package dev.blocks.shortener.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.shortener.domain.CacheTtl;
import dev.blocks.shortener.domain.Link;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shared link cache in Redis, one string per code. Besides links it holds two markers: "unknown" (negative
 * caching, short-lived) and "deleted" (a tombstone as long-lived as any positive entry). Fills use {@code SET NX},
 * so a fill computed from a read made just before a delete can never overwrite the delete's tombstone.
 */
public final class RedisLinkCache {

    private static final String UNKNOWN = "!unknown";
    private static final String DELETED = "!deleted";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GuardedRedis redis;
    private final String prefix;
    private final CacheTtl ttl;
    private final CacheTtl negativeTtl;

    public RedisLinkCache(GuardedRedis redis, String keyPrefix, CacheTtl ttl, CacheTtl negativeTtl) {
        this.redis = redis;
        this.prefix = keyPrefix + "l:";
        this.ttl = ttl;
        this.negativeTtl = negativeTtl;
    }

    /** One GET; empty on a miss. Throws {@link GuardedRedis.Unavailable} when Redis does not answer. */
    public Optional<CachedLink> get(String code) {
        Response response = redis.call(Request.cmd(Command.GET).arg(prefix + code));
        if (response == null) {
            return Optional.empty();
        }
        String value = response.toString();
        return switch (value) {
            case UNKNOWN -> Optional.of(new CachedLink.Absent(false));
            case DELETED -> Optional.of(new CachedLink.Absent(true));
            default -> Optional.of(new CachedLink.Found(decode(code, value)));
        };
    }

    /** Caches a link without waiting, unless the code already has an entry (e.g. a tombstone). */
    public void fill(Link link) {
        redis.fire(set(link.code(), encode(link), ttl).arg("NX"));
    }

    /** Caches "no such code" without waiting. */
    public void fillUnknown(String code) {
        redis.fire(set(code, UNKNOWN, negativeTtl).arg("NX"));
    }

    /** Marks a deleted code, waiting for Redis: a delete must not leave the link behind in the cache. */
    public void tombstone(String code) {
        redis.call(set(code, DELETED, ttl));
    }

    /** Forgets a code without waiting: a new link with a chosen alias replaces a cached "unknown". */
    public void forget(String code) {
        redis.fire(Request.cmd(Command.DEL).arg(prefix + code));
    }

    private Request set(String code, String value, CacheTtl lifetime) {
        Duration life = lifetime.sample(ThreadLocalRandom.current());
        return Request.cmd(Command.SET).arg(prefix + code).arg(value).arg("PX").arg(Math.max(1, life.toMillis()));
    }

    static String encode(Link link) {
        ObjectNode node = JSON.createObjectNode();
        node.put("u", link.url());
        node.put("o", link.owner());
        node.put("c", link.createdAt().toString());
        if (link.expiresAt() != null) {
            node.put("e", link.expiresAt().toString());
        }
        if (link.maxVisits() != null) {
            node.put("m", link.maxVisits());
        }
        if (!link.tags().isEmpty()) {
            link.tags().forEach(node.putArray("t")::add);
        }
        return node.toString();
    }

    static Link decode(String code, String value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable cache entry for " + code, e);
        }
        List<String> tags = new ArrayList<>();
        node.path("t").forEach(t -> tags.add(t.asText()));
        return new Link(code, node.path("u").asText(), node.path("o").asText(), Instant.parse(node.path("c").asText()),
                node.hasNonNull("e") ? Instant.parse(node.get("e").asText()) : null,
                node.hasNonNull("m") ? node.get("m").asLong() : null, tags);
    }
}
