package dev.blocks.localcloud.events;

/**
 * Something that turns outside events (queue messages, topic records, clock ticks) into function invocations,
 * as Lambda's event source mappings and EventBridge rules do.
 */
public interface EventSource {

    void start();

    /** Stops taking new events and returns once the invocations already under way have ended. */
    void stop();
}
