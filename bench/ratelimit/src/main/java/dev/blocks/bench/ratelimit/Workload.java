package dev.blocks.bench.ratelimit;

/** One way of deciding requests, called from many threads at once. */
interface Workload extends AutoCloseable {

    String name();

    /** Decides the {@code i}-th request of {@code thread}; returns whether it was admitted. */
    boolean decide(int thread, long i) throws Exception;

    @Override
    default void close() throws Exception {}
}
