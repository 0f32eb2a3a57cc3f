package dev.blocks.shortener.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.HttpFunction;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.JsonBody;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.http.Routes;
import dev.blocks.kit.identity.Authenticator;
import dev.blocks.kit.identity.Caller;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.kit.net.OutboundUrl;
import dev.blocks.shortener.domain.Alias;
import dev.blocks.shortener.domain.CodeAllocator;
import dev.blocks.shortener.domain.Link;
import dev.blocks.shortener.domain.LinkDraft;
import dev.blocks.shortener.domain.LinkRules;
import dev.blocks.shortener.domain.LinkStats;
import dev.blocks.shortener.domain.LinkUrl;
import dev.blocks.kit.validation.FieldError;
import dev.blocks.shortener.store.GuardedRedis;
import dev.blocks.shortener.store.LinkLookup;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.MetricNames;
import dev.blocks.shortener.store.RedisLinkCache;
import dev.blocks.shortener.store.RedisVisitors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * links-api, the write side: create, read and delete links and read their stats. Every call needs an identity
 * (API key or authorizer claims); a caller sees only the links it owns, and another owner's link is a 404, so
 * codes cannot be probed through this API.
 */
@ApplicationScoped
@Named(LinksApi.NAME)
class LinksApi implements HttpFunction {

    static final String NAME = "links-api";

    private static final Logger LOG = Logger.getLogger(LinksApi.class);

    private final Routes routes = new Routes()
            .on("POST /v1/links", this::create)
            .on("GET /v1/links/{code}", this::read)
            .on("DELETE /v1/links/{code}", this::delete)
            .on("GET /v1/links/{code}/stats", this::stats);

    private final Authenticator authenticator;
    private final CreateLimit createLimit;
    private final Creation creation;
    private final LinkTable table;
    private final RedisLinkCache redisCache;
    private final RedisVisitors visitors;
    private final LinkLookup lookup;
    private final Metrics metrics;
    private final ShortenerConfig config;
    private final LinkRules rules;
    private final Clock clock = Clock.systemUTC();

    LinksApi(Authenticator authenticator, CreateLimit createLimit, CodeAllocator codes, LinkTable table,
             RedisLinkCache redisCache, RedisVisitors visitors, LinkLookup lookup, Metrics metrics,
             ShortenerConfig config) {
        this.authenticator = authenticator;
        this.createLimit = createLimit;
        this.creation = new Creation(codes, table, redisCache, metrics, config.codes().attempts());
        this.table = table;
        this.redisCache = redisCache;
        this.visitors = visitors;
        this.lookup = lookup;
        this.metrics = metrics;
        this.config = config;
        List<String> ownHosts = new ArrayList<>(config.ownHosts().orElse(List.of()));
        config.baseUrl().filter(b -> !b.isBlank()).map(LinksApi::baseHost).ifPresent(ownHosts::add);
        this.rules = new LinkRules(ownHosts);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        try {
            return routes.dispatch(request);
        } catch (SdkException e) {
            // The table is the write side's source of truth: without it the client can only retry.
            metrics.increment(MetricNames.DYNAMODB_UNAVAILABLE);
            LOG.warnf("DynamoDB call failed for %s: %s", request.routeKey(), e.toString());
            throw ProblemException.unavailable("links cannot be stored or read right now", 1);
        }
    }

    private HttpResponse create(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        Map<String, String> limitHeaders = createLimit.check(caller, request);
        ObjectNode body = JsonBody.object(request, config.maxBodyBytes());
        LinkJson.DRAFT.check(body);
        // Milliseconds are precision enough for a creation time and keep the wire format short.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<FieldError> violations = new ArrayList<>();
        LinkDraft draft = LinkJson.draft(body, violations);
        if (draft.url() != null) {
            // Judged and stored in its ASCII form: the host a browser would resolve, the path as it would send it.
            try {
                draft = draft.withUrl(LinkUrl.parse(draft.url()).ascii());
                OutboundUrl.refusal(draft.url(), config.allowPrivateUrls()).ifPresent(r -> violations.add(new FieldError("url", r)));
            } catch (LinkUrl.Invalid e) {
                violations.add(new FieldError("url", e.getMessage()));
            }
        }
        violations.addAll(rules.alsoRefusing(request.header("host").orElse(null)).check(draft, now));
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid(violations));
        }
        Link link = creation.create(draft, caller.owner(), now);
        return HttpResponse.json(201, LinkJson.link(link, shortUrl(request, link.code())))
                .withHeader("location", "/v1/links/" + link.code())
                .withHeaders(limitHeaders);
    }

    private HttpResponse read(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        Link link = owned(request.pathParameter("code"), caller);
        return HttpResponse.json(200, LinkJson.link(link, shortUrl(request, link.code())));
    }

    private HttpResponse delete(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String code = request.pathParameter("code");
        if (!Alias.plausibleCode(code) || !table.delete(code, caller.owner())) {
            throw ProblemException.notFound("no link " + code);
        }
        try {
            redisCache.tombstone(code);
        } catch (GuardedRedis.Unavailable e) {
            // The delete stands; a copy cached in Redis may redirect until its lifetime ends.
            metrics.increment(MetricNames.REDIS_INVALIDATION_FAILED);
            LOG.errorf("deleted %s but could not invalidate Redis: %s", code, e.getMessage());
        }
        visitors.forget(code);
        lookup.forget(code);
        return HttpResponse.empty(204);
    }

    private HttpResponse stats(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String code = request.pathParameter("code");
        owned(code, caller);
        LinkStats stats = table.stats(code, config.clicks().topReferrers());
        Long unique;
        try {
            unique = visitors.count(code);
        } catch (GuardedRedis.Unavailable e) {
            unique = null; // the rest of the stats still answer
        }
        return HttpResponse.json(200, LinkJson.stats(stats, unique));
    }

    private Link owned(String code, Caller caller) {
        Optional<Link> link = Alias.plausibleCode(code) ? table.find(code) : Optional.empty();
        if (link.isEmpty() || !link.get().owner().equals(caller.owner())) {
            throw ProblemException.notFound("no link " + code);
        }
        return link.get();
    }

    /** The host of the base URL; an international name is left in the authority by {@link URI}. */
    private static String baseHost(String baseUrl) {
        URI uri = URI.create(baseUrl);
        return uri.getHost() != null ? uri.getHost()
                : uri.getAuthority() == null ? null : uri.getAuthority().replaceFirst(":\\d+$", "");
    }

    private String shortUrl(HttpRequest request, String code) {
        String base = config.baseUrl().filter(b -> !b.isBlank()).orElseGet(() ->
                request.header("x-forwarded-proto").orElse("https") + "://" + request.header("host").orElse("localhost"));
        return (base.endsWith("/") ? base : base + "/") + code;
    }
}
