package dev.blocks.webhooks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.HttpFunction;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.JsonBody;
import dev.blocks.kit.http.KnownFields;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.http.Routes;
import dev.blocks.kit.idempotency.IdempotencyStore;
import dev.blocks.kit.identity.Authenticator;
import dev.blocks.kit.identity.Caller;
import dev.blocks.webhooks.domain.Destination;
import dev.blocks.webhooks.domain.HmacOptions;
import dev.blocks.webhooks.domain.Ids;
import dev.blocks.webhooks.domain.Scheme;
import dev.blocks.webhooks.domain.Source;
import dev.blocks.webhooks.domain.SourceRules;
import dev.blocks.webhooks.domain.Verification;
import dev.blocks.kit.validation.FieldError;
import dev.blocks.webhooks.store.CachedSources;
import dev.blocks.webhooks.store.InboundPublisher;
import dev.blocks.webhooks.store.SourceTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * webhooks-in: receives webhooks from other services. {@code /v1/hooks/sources[/{source}]} manages the caller's
 * own sources (API key; names are per owner; secrets are stored encrypted and never shown again);
 * {@code POST /v1/hooks/{sourceId}} (the source's random receive id, so the public URL names neither owner nor
 * name) verifies a delivery on its raw body bytes, dedupes it on a signed event key and publishes it, with its
 * owner, to the source's destination, answering once the destination has it. Round trips for a warm source: one
 * conditional put (the dedupe), one publish.
 */
@ApplicationScoped
@Named(HooksIn.NAME)
class HooksIn implements HttpFunction {

    static final String NAME = "webhooks-in";

    private static final Logger LOG = Logger.getLogger(HooksIn.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CONFIG_BYTES = 16 * 1024;
    private static final int MAX_DELIVERY_ID = 256;

    /** The fields {@code PUT /v1/hooks/sources/{source}} knows: anything else is a 400 naming it (see KnownFields). */
    static final KnownFields CONFIGURE_SOURCE = KnownFields.of("scheme", "secrets", "toleranceSeconds")
            .with("destination", KnownFields.of("type", "name"))
            .with("hmac", KnownFields.of("header", "prefix", "algorithm", "encoding", "idHeader"));

    private final Authenticator authenticator;
    private final SourceTable sources;
    private final CachedSources cachedSources;
    private final SourceRules rules;
    private final IdempotencyStore dedupe;
    private final InboundPublisher publisher;
    private final WebhooksConfig.Inbound config;
    private final Routes routes = new Routes()
            .on("GET /v1/hooks/sources", this::list)
            .on("PUT /v1/hooks/sources/{source}", this::configure)
            .on("GET /v1/hooks/sources/{source}", this::show)
            .on("DELETE /v1/hooks/sources/{source}", this::delete)
            .on("POST /v1/hooks/{sourceId}", this::receive);

    HooksIn(Authenticator authenticator, SourceTable sources, CachedSources cachedSources, SourceRules rules,
            IdempotencyStore dedupe, InboundPublisher publisher, WebhooksConfig config) {
        this.authenticator = authenticator;
        this.sources = sources;
        this.cachedSources = cachedSources;
        this.rules = rules;
        this.dedupe = dedupe;
        this.publisher = publisher;
        this.config = config.inbound();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        return routes.dispatch(request);
    }

    private HttpResponse configure(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String name = request.pathParameter("source");
        ObjectNode body = JsonBody.object(request, MAX_CONFIG_BYTES);
        CONFIGURE_SOURCE.check(body);
        List<FieldError> violations = new ArrayList<>();
        String scheme = Fields.text(body, "scheme", violations);
        List<String> secrets = Fields.texts(body, "secrets", violations);
        Long tolerance = null;
        if (body.hasNonNull("toleranceSeconds")) {
            if (body.get("toleranceSeconds").canConvertToLong() && body.get("toleranceSeconds").isIntegralNumber()) {
                tolerance = body.get("toleranceSeconds").asLong();
            } else {
                violations.add(new FieldError("toleranceSeconds", "must be a whole number of seconds"));
            }
        }
        JsonNode destination = body.path("destination");
        if (!destination.isObject()) {
            violations.add(new FieldError("destination", "an object {\"type\": \"sqs\" | \"kafka\", \"name\": ...}"));
        }
        HmacOptions hmac = null;
        if (Scheme.parse(scheme).orElse(null) == Scheme.HMAC) {
            JsonNode h = body.path("hmac");
            hmac = HmacOptions.of(h.path("header").textValue(), h.path("algorithm").textValue(),
                    h.path("encoding").textValue(), h.path("prefix").textValue(), h.path("idHeader").textValue(), violations);
        }
        Fields.check(violations);
        Source source = rules.validate(name, caller.owner(), scheme, secrets, tolerance,
                destination.path("type").asText(""), destination.path("name").asText(""), hmac, Instant.now(), violations);
        Fields.check(violations);
        List<SourceTable.Summary> existing = sources.list(caller.owner(), config.maxSourcesPerOwner() + 1);
        if (existing.size() >= config.maxSourcesPerOwner() && existing.stream().noneMatch(s -> s.name().equals(name))) {
            throw ProblemException.conflict("at most " + config.maxSourcesPerOwner() + " sources per owner");
        }
        SourceTable.Put put = sources.put(source, Ids.source());
        Source stored = put.source();
        cachedSources.forget(stored.id());
        LOG.infof("source %s (%s) %s by %s (%s, %d secret(s))", name, stored.id(), put.created() ? "created" : "replaced",
                caller.owner(), stored.scheme().wire(), stored.secrets().secrets().size());
        return HttpResponse.json(put.created() ? 201 : 200, view(stored))
                .withHeader("location", "/v1/hooks/sources/" + name);
    }

    private HttpResponse show(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String name = request.pathParameter("source");
        Source source = (SourceRules.validName(name) ? sources.find(caller.owner(), name) : Optional.<Source>empty())
                .orElseThrow(() -> ProblemException.notFound("no source " + name));
        return HttpResponse.json(200, view(source));
    }

    private HttpResponse list(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode items = out.putArray("sources");
        for (SourceTable.Summary s : sources.list(caller.owner(), config.maxSourcesPerOwner())) {
            ObjectNode item = items.addObject();
            item.put("source", s.name()).put("id", s.id()).put("receivePath", receivePath(s.id()))
                    .put("scheme", s.scheme().wire());
            destination(item, s.destination());
            item.put("updatedAt", s.updatedAt().toString());
        }
        return HttpResponse.json(200, out);
    }

    private HttpResponse delete(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String name = request.pathParameter("source");
        String id = (SourceRules.validName(name) ? sources.delete(caller.owner(), name) : Optional.<String>empty())
                .orElseThrow(() -> ProblemException.notFound("no source " + name));
        cachedSources.forget(id);
        LOG.infof("source %s (%s) deleted by %s", name, id, caller.owner());
        return HttpResponse.empty(204);
    }

    private HttpResponse receive(HttpRequest request) throws Exception {
        byte[] body = request.body();
        if (body.length > config.maxBodyBytes()) {
            throw ProblemException.tooLarge("webhook bodies are limited to " + config.maxBodyBytes() + " bytes");
        }
        String id = request.pathParameter("sourceId");
        if (!SourceRules.validId(id)) {
            throw ProblemException.notFound("no source " + id);
        }
        Source source;
        try {
            source = cachedSources.find(id).orElseThrow(() -> ProblemException.notFound("no source " + id));
        } catch (SdkException e) {
            throw ProblemException.unavailable("cannot read the source configuration right now", 1);
        }
        Instant now = Instant.now();
        var signatures = source.signatures();
        Verification verification = signatures.verify(request.headers(), body, source.secrets().keys(signatures),
                now, source.tolerance());
        if (!verification.valid()) {
            LOG.infof("source %s: refused a delivery (%s) from %s", id, verification.rejection(), request.sourceIp());
            throw new ProblemException(Problem.of(401, "invalid-signature", "Invalid signature",
                    verification.rejection().detail()));
        }
        // Only what the signature covers decides whether the event is new (see EventKey).
        String eventId = source.scheme().eventKey().of(verification, body, () -> idInBody(body));
        String scope = dedupeScope(source);
        // Claim (IN_FLIGHT for claim-lease) -> publish -> confirm (DONE, kept dedupe-ttl): a receiver that dies
        // between claim and publish leaves a claim that a retry takes over once its lease has run out.
        IdempotencyStore.Claim claim;
        try {
            claim = dedupe.claim(scope, eventId, null, now.toString(), config.claimLease(), config.dedupeTtl());
        } catch (SdkException e) {
            throw ProblemException.unavailable("cannot record the event right now", 1);
        }
        if (claim instanceof IdempotencyStore.Claim.InFlight inFlight) {
            // Retryable for every sender: most retry a 5xx, and some give up on a 4xx.
            long wait = Math.max(1, Duration.between(now, inFlight.leaseUntil()).toSeconds() + 1);
            throw new ProblemException(Problem.of(503, "in-progress", "Event in progress",
                    "this event is being published by another request; retry later"),
                    Map.of("retry-after", Long.toString(wait)));
        }
        if (!(claim instanceof IdempotencyStore.Claim.Acquired)) {
            return HttpResponse.json(200, result("duplicate", eventId));
        }
        try {
            String deliveryId = signatures.deliveryId(request.headers()).filter(d -> d.length() <= MAX_DELIVERY_ID).orElse(null);
            publisher.publish(source.destination(), source.owner(), source.name(), eventId,
                    envelope(source, eventId, deliveryId, now, request, body));
        } catch (Exception e) {
            // Forget the claim so that the sender's retry is not taken for a duplicate of an event never published.
            LOG.warnf("source %s: publishing %s to %s failed: %s", id, eventId, source.destination().name(), e.toString());
            try {
                dedupe.release(scope, eventId);
            } catch (SdkException ignored) {
                LOG.warnf("source %s: could not release the claim of %s; a retry publishes it once its lease ends", id, eventId);
            }
            throw ProblemException.unavailable("the event could not be handed on; retry", 1);
        }
        try {
            dedupe.complete(scope, eventId, config.dedupeTtl());
        } catch (SdkException e) {
            // Published all the same: a retry after the lease publishes it again, which consumers dedupe on its id.
            LOG.warnf("source %s: could not confirm %s: %s", id, eventId, e.toString());
        }
        return HttpResponse.json(202, result("accepted", eventId));
    }

    /** Stripe and many others name the event only inside the JSON body ({@code "id"}). */
    private static Optional<String> idInBody(byte[] body) {
        if (body.length == 0 || body[0] != '{') {
            return Optional.empty();
        }
        try {
            JsonNode id = JSON.readTree(body).get("id");
            return id != null && id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Event keys are remembered per owner and source name: two owners' {@code acme} never share them. The owner is
     * URL-encoded so that no owner string can end in what looks like another owner's scope.
     */
    private static String dedupeScope(Source source) {
        return "in/" + URLEncoder.encode(source.owner(), StandardCharsets.UTF_8) + "/" + source.name();
    }

    private static String receivePath(String id) {
        return "/v1/hooks/" + id;
    }

    /**
     * What consumers get: the body exactly as received (text when it is UTF-8, else base64) with its context, the
     * owner beside the source name so that two owners' {@code acme} can never be confused.
     */
    private static byte[] envelope(Source source, String eventId, String deliveryId, Instant receivedAt,
                                   HttpRequest request, byte[] body) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("owner", source.owner());
        out.put("source", source.name());
        out.put("id", eventId);
        if (deliveryId != null) {
            // The sender's own id from an unsigned header: for tracing only; consumers dedupe on "id".
            out.put("deliveryId", deliveryId);
        }
        out.put("receivedAt", receivedAt.toString());
        out.put("contentType", request.header("content-type").orElse(""));
        String text = utf8(body);
        if (text != null) {
            out.put("body", text);
        } else {
            out.put("bodyBase64", Base64.getEncoder().encodeToString(body));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static ObjectNode view(Source source) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("source", source.name());
        out.put("id", source.id());
        out.put("receivePath", receivePath(source.id()));
        out.put("scheme", source.scheme().wire());
        out.put("secretCount", source.secrets().secrets().size());
        out.put("toleranceSeconds", source.tolerance().toSeconds());
        destination(out, source.destination());
        if (source.hmac() != null) {
            ObjectNode h = out.putObject("hmac");
            h.put("header", source.hmac().header()).put("algorithm", source.hmac().algorithm())
                    .put("encoding", source.hmac().encoding()).put("prefix", source.hmac().prefix());
            if (source.hmac().idHeader() != null) {
                h.put("idHeader", source.hmac().idHeader());
            }
        }
        out.put("updatedAt", source.updatedAt().toString());
        return out;
    }

    private static void destination(ObjectNode out, Destination destination) {
        out.putObject("destination").put("type", destination.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("name", destination.name());
    }

    private static ObjectNode result(String status, String eventId) {
        return JsonNodeFactory.instance.objectNode().put("status", status).put("id", eventId);
    }
}
