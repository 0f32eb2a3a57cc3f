package dev.blocks.kit.ratelimit;

/**
 * Which Redis Cluster hash slot each counter lives in. A script may only touch keys of one slot, so this decides
 * how many script calls one decision takes.
 */
public enum HashTagPolicy {
    /**
     * Every counter carries the hash tag {@code {rl}}: all layered rules of a request are one EVALSHA, always
     * atomic, and all limiter traffic goes to the one shard that owns the slot. The default: a Redis shard runs
     * well over 100 000 of these scripts a second, and without Cluster mode it is the only layout anyway.
     */
    ONE_SLOT,
    /**
     * A counter's hash tag is its rule's leading key part (API key, else user, else IP, else route; global rules
     * share one tag), so counters spread over the cluster. Rules with the same leading part still share one
     * script call; a request whose rules span k tags takes k script calls sent together (one round trip of
     * latency), each admitting what its own rules allow, and when any refuses, the admitted ones are given
     * back with a second, refund call (two round trips, on refusals only).
     */
    PER_SUBJECT
}
