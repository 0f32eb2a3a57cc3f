package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * What one delivery attempt got back: the HTTP status (0 when there was no response: refused by the SSRF guard,
 * connection failure, timeout), how long it took, the start of the response body, the error when there was no
 * response, and a {@code Retry-After} the receiver asked for.
 */
public record AttemptResult(int status, Duration latency, String excerpt, String error, Duration retryAfter) {

    public boolean succeeded() {
        return status >= 200 && status <= 299;
    }

    public Optional<Duration> retryAfterWait() {
        return Optional.ofNullable(retryAfter);
    }

    /** One line for logs and attempt records. */
    public String summary() {
        return status == 0 ? (error == null ? "no response" : error) : "HTTP " + status;
    }
}
