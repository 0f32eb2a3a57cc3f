package dev.blocks.shortener.handlers;

import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.identity.Caller;

/**
 * The seam for rate limiting link creation: consulted before anything is written, it refuses by throwing a
 * {@link dev.blocks.kit.http.ProblemException} (429 with Retry-After). Until the rate-limiting capability
 * provides a bean, every request passes.
 */
public interface CreateLimit {

    void check(Caller caller, HttpRequest request);
}
