package dev.blocks.localcloud.spec;

/** An API Gateway HTTP API route, e.g. {@code GET /v1/links/{code}} or {@code $default}, and its function. */
public record RouteSpec(String routeKey, String functionName) {}
