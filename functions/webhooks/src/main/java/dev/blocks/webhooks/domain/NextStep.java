package dev.blocks.webhooks.domain;

import java.time.Instant;

/** What happens to a message after an attempt. */
public sealed interface NextStep {

    /** The receiver took it (2xx). */
    record Delivered() implements NextStep {}

    /** Try again at {@code at}. */
    record Retry(int attempt, Instant at) implements NextStep {}

    /** The schedule is used up: the message is FAILED and goes to the dead-letter queue. */
    record GaveUp(String reason) implements NextStep {}

    /** The receiver answered 410 Gone: the endpoint is disabled and the message FAILED. */
    record Gone() implements NextStep {}
}
