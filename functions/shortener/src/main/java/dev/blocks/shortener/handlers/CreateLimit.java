package dev.blocks.shortener.handlers;

import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.identity.Caller;
import java.util.Map;

/**
 * The rate limit on link creation: consulted after authentication and before anything is read or written. It
 * refuses by throwing a {@link dev.blocks.kit.http.ProblemException} (429 with Retry-After and the rate-limit
 * headers); when it admits, it returns the headers the created link's answer carries.
 */
interface CreateLimit {

    /** Admits every request and adds no headers: for deployments that limit elsewhere. */
    CreateLimit NONE = (caller, request) -> Map.of();

    Map<String, String> check(Caller caller, HttpRequest request);
}
