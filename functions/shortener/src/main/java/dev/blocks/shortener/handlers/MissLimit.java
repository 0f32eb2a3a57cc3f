package dev.blocks.shortener.handlers;

import dev.blocks.kit.http.HttpRequest;
import dev.blocks.shortener.store.LinkLookup;

/**
 * The limit on unknown codes per client: a scanner guessing codes costs a DynamoDB read on each miss, so misses
 * are counted per client IP, and once a client's budget is spent its next guesses are refused (429 with
 * Retry-After) before anything is read. Codes answered from a cache and codes that exist cost nothing.
 */
interface MissLimit {

    /** Counts nothing: for deployments that limit in front of the API. */
    MissLimit NONE = request -> LinkLookup.MissBudget.UNLIMITED;

    /** The budget {@code request}'s lookup spends from. */
    LinkLookup.MissBudget of(HttpRequest request);
}
