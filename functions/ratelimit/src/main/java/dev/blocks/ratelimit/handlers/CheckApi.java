package dev.blocks.ratelimit.handlers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.HttpFunction;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.JsonBody;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.http.Routes;
import dev.blocks.kit.identity.Authenticator;
import dev.blocks.kit.ratelimit.Decision;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.ratelimit.RateLimitConfig;
import dev.blocks.ratelimit.domain.CheckAnswer;
import dev.blocks.ratelimit.domain.CheckRequest;
import dev.blocks.ratelimit.domain.RuleCache;
import dev.blocks.ratelimit.domain.RuleCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.Map;

/**
 * ratelimit-api: {@code POST /v1/ratelimit/check {rule, key, cost?}} for services outside this project. 200 when
 * the request may proceed, 429 (problem+json, Retry-After) when not, both with the rate-limit headers; an unknown
 * rule is 404, a cost the rule can never admit 400. Counters are the caller's own (its owner's) unless the rule is
 * {@code shared}: see {@link CheckRequest#counterKey}. One Redis round trip per check, none for a key remembered over
 * its limit; rules come from the in-process {@link RuleCache}, read again at most once per refresh period.
 */
@ApplicationScoped
@Named(CheckApi.NAME)
class CheckApi implements HttpFunction {

    static final String NAME = "ratelimit-api";
    private static final int MAX_BODY = 4 * 1024;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final RateLimiter limiter;
    private final RuleCache rules;
    private final Authenticator authenticator;
    private final ObjectMapper json;
    private final boolean requireCaller;
    private final Routes routes = new Routes().on("POST /v1/ratelimit/check", this::check);

    CheckApi(RateLimiter limiter, RuleCache rules, Authenticator authenticator, ObjectMapper json, RateLimitConfig config) {
        this.limiter = limiter;
        this.rules = rules;
        this.authenticator = authenticator;
        this.json = json;
        this.requireCaller = config.checkRequiresApiKey();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        return routes.dispatch(request);
    }

    private HttpResponse check(HttpRequest request) {
        String owner = requireCaller ? authenticator.authenticate(request).owner() : null;
        CheckRequest check;
        try {
            check = CheckRequest.read(json.convertValue(JsonBody.object(request, MAX_BODY), OBJECT));
        } catch (CheckRequest.Invalid invalid) {
            throw new ProblemException(Problem.invalid(invalid.errors()));
        }
        RuleCatalog catalog = rules.current();
        Rule rule = catalog.find(check.rule()).orElseThrow(() -> catalog.storedKnown()
                ? new ProblemException(Problem.of(404, "unknown-rule", "Unknown rule", "no rate-limit rule " + check.rule()))
                : ProblemException.unavailable("the rules table cannot be read right now", 1));
        check.costProblem(rule).ifPresent(problem -> {
            throw new ProblemException(Problem.invalid(List.of(problem)));
        });
        Decision decision = limiter.check(rule, check.counterKey(rule, owner), check.cost());
        return response(CheckAnswer.of(rule, decision));
    }

    private HttpResponse response(CheckAnswer answer) {
        ObjectNode body = json.createObjectNode();
        String contentType = HttpResponse.JSON;
        int status = 200;
        if (!answer.allowed()) {
            status = 429;
            contentType = Problem.CONTENT_TYPE;
            body.put("type", "https://blocks.dev/problems/rate-limited")
                    .put("title", "Too many requests")
                    .put("status", status)
                    .put("detail", answer.refusal());
        }
        body.put("allowed", answer.allowed());
        body.put("limit", answer.limit());
        if (answer.remaining() == null) {
            body.putNull("remaining");
        } else {
            body.put("remaining", answer.remaining());
        }
        if (answer.resetAt() == null) {
            body.putNull("resetAt");
        } else {
            body.put("resetAt", answer.resetAt().toString());
        }
        body.put("retryAfter", answer.retryAfter());
        body.put("rule", answer.rule().id());
        body.put("source", answer.sourceName());
        body.put("failOpen", answer.failOpen());
        if (answer.shadowRefused() != null) {
            body.put("shadowRefused", answer.shadowRefused());
        }
        return new HttpResponse(status, Map.of("content-type", contentType), List.of(), body.toString())
                .withHeaders(answer.headers());
    }
}
