/**
 * Rate limiting for every function: atomic counters in Redis, decided by Lua scripts on the server's clock.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * RedisLimitStore store = RedisLimitStore.of(redis);           // the Vert.x client Quarkus configures
 * store.load().toCompletableFuture().get(5, SECONDS);          // at start: connect and SCRIPT LOAD
 * RateLimiter limiter = new RateLimiter(store, () -> rules, RateLimiterSettings.defaults());
 * Decision d = limiter.check(LimitRequest.forRoute("POST /v1/links").withApiKey(keyId).withIp(ip));
 * Map<String, String> headers = RateLimitHeaders.of(d);        // X-RateLimit-*, RateLimit-Policy, RateLimit, Retry-After
 * }</pre>
 * Everything in this package is plain Java; {@code dev.blocks.kit.ratelimit.redis} is the only part that knows
 * Redis. A first decision on a cold JVM can exceed the 50 ms timeout and fail open: load the script at start.
 *
 * <h2>Rules</h2>
 * A {@link dev.blocks.kit.ratelimit.Rule} ({@code {"algorithm", "limit", "windowSeconds", "burst", "keyBy",
 * "route", "failMode", "shadow", "shared", "id", "tier"}}, read with field-level errors by
 * {@link dev.blocks.kit.ratelimit.RuleJson}) applies to a request when its route and tier match (null: any) and
 * the request has every {@code keyBy} part; each distinct combination of those parts has its own counter (a client
 * IP counts as its {@link dev.blocks.kit.net.ClientIp#key client key}: an IPv6 client by its /64). A
 * {@link dev.blocks.kit.ratelimit.RuleSet} holds the rules in force; the limiter reads it on every call, so a
 * refreshed set applies to the next request.
 *
 * <h2>Algorithms: what limit, windowSeconds and burst mean</h2>
 * Each algorithm is defined in plain Java ({@code Meter} and its implementations: units available at a moment,
 * what recording does; retry and reset times follow) and implemented by one Lua file under
 * {@code src/main/resources/dev/blocks/kit/ratelimit/}. Property tests replay random traces through both and
 * require identical verdicts, remaining units, reset and retry times, to the unit and the millisecond: all
 * arithmetic is on integers below 2^53 (rules are validated to keep it there), scaled so that no fraction occurs.
 * <ul>
 * <li>{@code token_bucket}: holds limit + burst tokens, refilled continuously at limit per window. Sustained
 *     limit per window; up to limit + burst at once; in any span of d ms at most limit + burst + limit·d/window.</li>
 * <li>{@code gcra}: the same bucket kept as one theoretical arrival time (GET + SET PXAT instead of a hash):
 *     identical decisions, fewer bytes and commands.</li>
 * <li>{@code fixed_window}: limit per epoch-aligned window; up to 2 × limit across a boundary.</li>
 * <li>{@code sliding_window}: the previous window's count weighted by its overlap with the last window. At most
 *     limit per aligned window, and at most limit × (1 + d/window) within d ms of a boundary (no 2× burst).</li>
 * <li>{@code sliding_log}: exact; one sorted-set member per admitted unit; at most limit in any window-long span
 *     (limit capped at 100 000 for memory).</li>
 * </ul>
 * Every script: reads {@code TIME} (after {@code redis.replicate_commands()}, for Redis 6.2), writes nothing for a
 * refused request, supports cost &gt; 1, sets each key to expire exactly when its state is as good as fresh
 * (PEXPIREAT at the reset time), and returns allowed, remaining, reset (ms epoch) and retry-after (ms, -1 when
 * the cost exceeds what the rule ever holds). Keys name the rule's parameters, so a changed rule starts fresh.
 *
 * <h2>Layered rules</h2>
 * One script call checks all rules of a request before writing anything, then records the request in every rule
 * only if every enforced rule allows it: the strictest verdict wins and a refused request consumes nothing. A
 * shadow rule is checked and reported ({@link dev.blocks.kit.ratelimit.Decision#shadowRefusals()}) but never
 * refuses; it records the request only when it would itself have allowed it, so its counters show what enforcing
 * it would do. Headers advertise the refusing rule that keeps the request out longest, or else the rule with the
 * fewest units left.
 *
 * <h2>Redis Cluster</h2>
 * A script may only touch keys of one hash slot. {@link dev.blocks.kit.ratelimit.HashTagPolicy#ONE_SLOT} (the
 * default) tags every counter {@code {rl}}: every decision is one atomic call, and the limiter's load sits on the
 * one shard owning that slot. {@link dev.blocks.kit.ratelimit.HashTagPolicy#PER_SUBJECT} tags each counter by its
 * rule's leading key part (API key, user, IP, route; global rules share one tag): counters spread over shards; a
 * request's rules are grouped by tag and the groups are sent together; each group admits what its own rules
 * allow, and when another group refuses, the admitting groups are refunded by a second call. Reservations are
 * real, so the split never admits more than the rules allow; a reservation refunded a moment later may, in that
 * moment, refuse another request that would have fit.
 *
 * <h2>Round trips</h2>
 * <table>
 * <caption>Network round trips per operation</caption>
 * <tr><th>operation</th><th>round trips</th></tr>
 * <tr><td>decision, any number of layered rules (ONE_SLOT)</td><td>1 EVALSHA</td></tr>
 * <tr><td>decision, rules under k hash tags (PER_SUBJECT)</td><td>k EVALSHA sent at once: 1 round trip of
 *     latency; when some tag refuses, one refund EVALSHA per admitting tag, not waited for</td></tr>
 * <tr><td>decision, a matching counter remembered over its limit</td><td>0 (refused in process until the retry
 *     time Redis gave)</td></tr>
 * <tr><td>decision, no matching rule</td><td>0</td></tr>
 * <tr><td>decision, circuit breaker open</td><td>0 (each rule's fail mode decides at once)</td></tr>
 * <tr><td>first decision after a Redis restart or SCRIPT FLUSH</td><td>3 (EVALSHA answered NOSCRIPT, SCRIPT LOAD,
 *     EVALSHA)</td></tr>
 * <tr><td>{@code RedisLimitStore.load()} at start</td><td>1 SCRIPT LOAD</td></tr>
 * </table>
 *
 * <h2>Failures</h2>
 * Redis errors and answers slower than the timeout (50 ms by default) fall back to the matching rules' fail mode:
 * allowed and marked {@link dev.blocks.kit.ratelimit.Decision.Source#FAIL_OPEN}, or refused as
 * {@link dev.blocks.kit.ratelimit.Decision.Source#FAIL_CLOSED} when any enforced matching rule fails closed. A
 * {@link dev.blocks.kit.breaker.CircuitBreaker} opens after consecutive failures so that a dead Redis costs no
 * latency, lets one probe through after its open period, and logs one line per state change;
 * {@link dev.blocks.kit.ratelimit.RateLimitMetrics} counts decisions, fallbacks, errors and transitions.
 */
package dev.blocks.kit.ratelimit;
