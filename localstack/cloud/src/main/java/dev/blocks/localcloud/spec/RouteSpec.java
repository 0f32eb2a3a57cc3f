package dev.blocks.localcloud.spec;

import java.util.List;
import java.util.Optional;

/**
 * An API Gateway HTTP API route, e.g. {@code GET /v1/links/{code}} or {@code $default}, and its function; with
 * the JWT authorizer that guards it (and the scopes it requires of a token, of which a token needs one), and the
 * integration's timeout ({@code timeout_milliseconds}, 30 s unless set).
 */
public record RouteSpec(String routeKey, String functionName, Optional<JwtAuthorizerSpec> authorizer,
                        List<String> authorizationScopes, int timeoutMillis) {

    /** HTTP APIs' default and maximum integration timeout. */
    public static final int DEFAULT_TIMEOUT_MILLIS = 30_000;

    public RouteSpec {
        authorizationScopes = List.copyOf(authorizationScopes);
    }

    /** An open route (no authorizer) with the default timeout. */
    public RouteSpec(String routeKey, String functionName) {
        this(routeKey, functionName, Optional.empty(), List.of(), DEFAULT_TIMEOUT_MILLIS);
    }
}
