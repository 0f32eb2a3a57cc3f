package dev.blocks.shortener.handlers;

import dev.blocks.kit.http.HttpFunction;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.shortener.domain.Alias;
import dev.blocks.shortener.domain.Click;
import dev.blocks.shortener.domain.Link;
import dev.blocks.shortener.domain.VisitorId;
import dev.blocks.shortener.store.CachedLink;
import dev.blocks.shortener.store.ClickPublisher;
import dev.blocks.shortener.store.LinkLookup;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.MetricNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * redirect: {@code GET /{code}} → 302 to the link's URL, 404 for an unknown code, 410 once expired or past its
 * visit limit. Public (no identity), so unknown codes are limited per client ({@link MissLimit}): a guessed code
 * costs a DynamoDB read. The click is published after the decision and before the answer (ClickPublisher: awaited
 * at most the delivery deadline, spooled to SQS while Kafka is in doubt).
 */
@ApplicationScoped
@Named(Redirect.NAME)
class Redirect implements HttpFunction {

    static final String NAME = "redirect";

    private final LinkLookup lookup;
    private final LinkTable table;
    private final ClickPublisher clicks;
    private final VisitorId visitors;
    private final Metrics metrics;
    private final MissLimit misses;
    private final Clock clock;

    Redirect(LinkLookup lookup, LinkTable table, ClickPublisher clicks, VisitorId visitors, Metrics metrics,
             MissLimit misses) {
        this.misses = misses;
        this.lookup = lookup;
        this.table = table;
        this.clicks = clicks;
        this.visitors = visitors;
        this.metrics = metrics;
        this.clock = Clock.systemUTC();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        return redirect(request);
    }

    private HttpResponse redirect(HttpRequest request) {
        String code = request.pathParameter("code");
        if (!Alias.plausibleCode(code)) {
            metrics.increment(MetricNames.REDIRECT_NOT_FOUND);
            throw ProblemException.notFound("no link " + code);
        }
        LinkLookup.Result found;
        try {
            found = lookup.find(code, misses.of(request));
        } catch (LinkLookup.Unavailable e) {
            throw ProblemException.unavailable("links cannot be read right now", 1);
        }
        if (!(found.value() instanceof CachedLink.Found hit)) {
            metrics.increment(MetricNames.REDIRECT_NOT_FOUND);
            throw ProblemException.notFound("no link " + code);
        }
        Link link = hit.link();
        Instant now = clock.instant();
        if (link.expiredAt(now)) {
            throw ProblemException.gone("link " + code + " expired at " + link.expiresAt());
        }
        if (link.visitLimited()) {
            LinkTable.Visit visit;
            try {
                visit = table.countVisit(code);
            } catch (SdkException e) {
                // A visit that cannot be counted cannot be allowed: the limit is a promise to the link's owner.
                metrics.increment(MetricNames.DYNAMODB_UNAVAILABLE);
                throw ProblemException.unavailable("link " + code + " cannot be counted right now", 1);
            }
            if (visit == LinkTable.Visit.MISSING) {
                lookup.forget(code);
                metrics.increment(MetricNames.REDIRECT_NOT_FOUND);
                throw ProblemException.notFound("no link " + code);
            }
            if (visit == LinkTable.Visit.EXHAUSTED) {
                throw ProblemException.gone("link " + code + " reached its " + link.maxVisits() + " visits");
            }
        }
        clicks.publish(new Click(code, now, request.header("referer").orElse(null), visitors.of(request.sourceIp()),
                request.header("user-agent").orElse(null), country(request)));
        return HttpResponse.redirect(302, link.url());
    }

    /** CloudFront's viewer country when the API sits behind it; otherwise unknown. */
    private static String country(HttpRequest request) {
        return request.header("cloudfront-viewer-country").orElse(null);
    }
}
