package dev.blocks.kit.ratelimit.redis;

import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.LimitStore;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleCheck;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Counters in Redis through the Vert.x Redis client (the one Quarkus's redis-client extension configures). Each
 * call is one EVALSHA of {@link LimitScript}; the script is loaded with SCRIPT LOAD by {@link #load()} at start,
 * and again whenever Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH): then that call takes three round
 * trips instead of one. Times come from the Redis server's clock, so every process agrees on them.
 */
public final class RedisLimitStore implements LimitStore {

    private final Redis redis;
    private final LimitScript script = LimitScript.get();
    private final LongSupplier pinnedClock;

    private RedisLimitStore(Redis redis, LongSupplier pinnedClock) {
        this.redis = redis;
        this.pinnedClock = pinnedClock;
    }

    public static RedisLimitStore of(Redis redis) {
        return new RedisLimitStore(redis, null);
    }

    public static RedisLimitStore of(io.vertx.mutiny.redis.client.Redis redis) {
        return of(redis.getDelegate());
    }

    /**
     * The same store, but the scripts take the time from {@code millis} instead of the server: for tests and
     * simulations that replay traces at chosen instants. Production never pins the clock, since the one server
     * clock is what keeps processes from disagreeing.
     */
    public RedisLimitStore withPinnedClock(LongSupplier millis) {
        return new RedisLimitStore(redis, millis);
    }

    /** The SHA-1 the script runs under (EVALSHA, SCRIPT EXISTS). */
    public String scriptSha() {
        return script.sha();
    }

    /** SCRIPT LOAD: one round trip, at start, so that the first decision is a plain EVALSHA. */
    public CompletionStage<String> load() {
        return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source()))
                .map(Response::toString).toCompletionStage();
    }

    @Override
    public CompletionStage<Evaluation> decide(List<RuleCheck> checks, long cost) {
        return evalsha(checks, "d", cost, "", List.of()).map(reply -> evaluation(reply, checks.size())).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> refund(List<RuleCheck> checks, long cost, Evaluation admitted) {
        List<Long> receipts = admitted.verdicts().stream().map(Verdict::receipt).toList();
        return evalsha(checks, "r", cost, Long.toString(admitted.serverTimeMs()), receipts)
                .<Void>mapEmpty().toCompletionStage();
    }

    private Future<Response> evalsha(List<RuleCheck> checks, String mode, long cost, String reservedAt,
            List<Long> receipts) {
        List<String> keys = new ArrayList<>(checks.size() + 1);
        List<String> args = new ArrayList<>(4 + 6 * checks.size());
        args.add(mode);
        args.add(pinnedClock == null ? "" : Long.toString(pinnedClock.getAsLong()));
        args.add(Long.toString(cost));
        args.add(reservedAt);
        for (int i = 0; i < checks.size(); i++) {
            RuleCheck check = checks.get(i);
            Rule rule = check.rule();
            keys.add(check.key());
            if (rule.algorithm() == Algorithm.SLIDING_LOG) {
                keys.add(check.key() + ":seq");
            }
            args.add(code(rule.algorithm()));
            args.add(Long.toString(rule.limit()));
            args.add(Long.toString(rule.windowMillis()));
            args.add(Long.toString(rule.burst()));
            args.add(rule.shadow() ? "1" : "0");
            args.add(receipts.isEmpty() ? "0" : Long.toString(receipts.get(i)));
        }
        Request request = Request.cmd(Command.EVALSHA).arg(script.sha()).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return redis.send(request).recover(error -> {
            if (!isNoScript(error)) {
                return Future.failedFuture(error);
            }
            return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source()))
                    .compose(loaded -> redis.send(request));
        });
    }

    private static Evaluation evaluation(Response reply, int rules) {
        if (reply == null || reply.size() != 2 + 5 * rules) {
            throw new IllegalStateException("unexpected rate-limit script reply " + reply);
        }
        List<Verdict> verdicts = new ArrayList<>(rules);
        for (int i = 0; i < rules; i++) {
            int at = 2 + 5 * i;
            verdicts.add(new Verdict(reply.get(at).toLong() == 1, reply.get(at + 1).toLong(), reply.get(at + 2).toLong(),
                    reply.get(at + 3).toLong(), reply.get(at + 4).toLong()));
        }
        return new Evaluation(reply.get(0).toLong(), reply.get(1).toLong() == 1, verdicts);
    }

    private static boolean isNoScript(Throwable error) {
        String message = error.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }

    static String code(Algorithm algorithm) {
        return switch (algorithm) {
            case TOKEN_BUCKET -> "tb";
            case SLIDING_WINDOW -> "sw";
            case FIXED_WINDOW -> "fw";
            case SLIDING_LOG -> "sl";
            case GCRA -> "gc";
        };
    }
}
