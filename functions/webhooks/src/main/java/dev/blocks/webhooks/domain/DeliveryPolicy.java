package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Decides what follows an attempt: 2xx is delivered; 410 Gone disables the endpoint; anything else (another
 * status, a timeout, no connection) is retried on the {@link RetrySchedule} until it is used up. A 429 or 503
 * with {@code Retry-After} waits at least that long (capped by {@code maxRetryAfter}, so that a receiver cannot
 * park a message for a year). An attempt the endpoint's open circuit breaker kept back ({@link #deferred}) counts
 * as a failed attempt too: deferred messages go on along their schedule and give up when it is used up, instead
 * of being deferred for as long as the endpoint stays dead.
 */
public record DeliveryPolicy(RetrySchedule schedule, Duration maxRetryAfter) {

    public NextStep after(int attempt, AttemptResult result, Instant now, DoubleSupplier random) {
        if (result.succeeded()) {
            return new NextStep.Delivered();
        }
        if (result.status() == 410) {
            return new NextStep.Gone();
        }
        int next = attempt + 1;
        Optional<Duration> scheduled = schedule.delayBefore(next, random);
        if (scheduled.isEmpty()) {
            return new NextStep.GaveUp("no success after " + attempt + " attempts, last: " + result.summary());
        }
        Duration wait = scheduled.get();
        if ((result.status() == 429 || result.status() == 503) && result.retryAfterWait().isPresent()) {
            Duration asked = result.retryAfterWait().get();
            if (asked.compareTo(maxRetryAfter) > 0) {
                asked = maxRetryAfter;
            }
            if (asked.compareTo(wait) > 0) {
                wait = asked;
            }
        }
        return new NextStep.Retry(next, now.plus(wait));
    }

    /**
     * Attempt {@code attempt} was not made because the endpoint's breaker is open (for {@code untilProbe} more):
     * the next attempt follows the schedule, but not before the breaker lets a call through again (there would be
     * no point: it would only be deferred once more); after the last attempt of the schedule, the message gives up.
     */
    public NextStep deferred(int attempt, Duration untilProbe, Instant now, DoubleSupplier random) {
        int next = attempt + 1;
        Optional<Duration> scheduled = schedule.delayBefore(next, random);
        if (scheduled.isEmpty()) {
            return new NextStep.GaveUp("no success after " + attempt + " attempts, last: " + NOT_SENT);
        }
        Duration wait = scheduled.get().compareTo(untilProbe) >= 0 ? scheduled.get() : untilProbe;
        return new NextStep.Retry(next, now.plus(wait));
    }

    /** What an attempt kept back by an open breaker records as its error. */
    public static final String NOT_SENT = "not sent: the endpoint's circuit breaker is open";
}
