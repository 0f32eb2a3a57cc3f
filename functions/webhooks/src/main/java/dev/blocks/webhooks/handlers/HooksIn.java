package dev.blocks.webhooks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.HttpFunction;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.JsonBody;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.http.Routes;
import dev.blocks.kit.idempotency.IdempotencyStore;
import dev.blocks.kit.identity.Authenticator;
import dev.blocks.kit.identity.Caller;
import dev.blocks.webhooks.domain.HmacOptions;
import dev.blocks.webhooks.domain.Scheme;
import dev.blocks.webhooks.domain.Source;
import dev.blocks.webhooks.domain.SourceRules;
import dev.blocks.webhooks.domain.Verification;
import dev.blocks.webhooks.domain.Violation;
import dev.blocks.webhooks.store.CachedSources;
import dev.blocks.webhooks.store.InboundPublisher;
import dev.blocks.webhooks.store.SourceTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * webhooks-in: receives webhooks from other services. {@code PUT /v1/hooks/sources/{source}} configures a source
 * (API key; secrets are stored encrypted and never shown again); {@code POST /v1/hooks/{source}} verifies a
 * delivery on its raw body bytes, dedupes it by event id and publishes it to the source's destination, answering
 * once the destination has it. Round trips for a warm source: one conditional put (the dedupe), one publish.
 */
@ApplicationScoped
@Named(HooksIn.NAME)
class HooksIn implements HttpFunction {

    static final String NAME = "webhooks-in";

    private static final Logger LOG = Logger.getLogger(HooksIn.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CONFIG_BYTES = 16 * 1024;
    private static final int MAX_EVENT_ID = 256;

    private final Authenticator authenticator;
    private final SourceTable sources;
    private final CachedSources cachedSources;
    private final SourceRules rules;
    private final IdempotencyStore dedupe;
    private final InboundPublisher publisher;
    private final WebhooksConfig.Inbound config;
    private final Routes routes = new Routes()
            .on("PUT /v1/hooks/sources/{source}", this::configure)
            .on("GET /v1/hooks/sources/{source}", this::show)
            .on("POST /v1/hooks/{source}", this::receive);

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
        List<Violation> violations = new ArrayList<>();
        String scheme = Fields.text(body, "scheme", violations);
        List<String> secrets = Fields.texts(body, "secrets", violations);
        Long tolerance = null;
        if (body.hasNonNull("toleranceSeconds")) {
            if (body.get("toleranceSeconds").canConvertToLong() && body.get("toleranceSeconds").isIntegralNumber()) {
                tolerance = body.get("toleranceSeconds").asLong();
            } else {
                violations.add(new Violation("toleranceSeconds", "must be a whole number of seconds"));
            }
        }
        JsonNode destination = body.path("destination");
        if (!destination.isObject()) {
            violations.add(new Violation("destination", "an object {\"type\": \"sqs\" | \"kafka\", \"name\": ...}"));
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
        boolean created;
        try {
            created = sources.put(source);
        } catch (SourceTable.Taken e) {
            throw ProblemException.forbidden(e.getMessage());
        }
        cachedSources.forget(name);
        LOG.infof("source %s %s by %s (%s, %d secret(s))", name, created ? "created" : "replaced", caller.owner(),
                source.scheme().wire(), source.secrets().secrets().size());
        return HttpResponse.json(created ? 201 : 200, view(source));
    }

    private HttpResponse show(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        Source source = sources.find(request.pathParameter("source"))
                .filter(s -> s.owner().equals(caller.owner()))
                .orElseThrow(() -> ProblemException.notFound("no source " + request.pathParameter("source")));
        return HttpResponse.json(200, view(source));
    }

    private HttpResponse receive(HttpRequest request) throws Exception {
        byte[] body = request.body();
        if (body.length > config.maxBodyBytes()) {
            throw ProblemException.tooLarge("webhook bodies are limited to " + config.maxBodyBytes() + " bytes");
        }
        String name = request.pathParameter("source");
        if (!SourceRules.validName(name)) {
            throw ProblemException.notFound("no source " + name);
        }
        Source source;
        try {
            source = cachedSources.find(name).orElseThrow(() -> ProblemException.notFound("no source " + name));
        } catch (SdkException e) {
            throw ProblemException.unavailable("cannot read the source configuration right now", 1);
        }
        Instant now = Instant.now();
        var signatures = source.signatures();
        Verification verification = signatures.verify(request.headers(), body, source.secrets().keys(signatures),
                now, source.tolerance());
        if (!verification.valid()) {
            LOG.infof("source %s: refused a delivery (%s) from %s", name, verification.rejection(), request.sourceIp());
            throw new ProblemException(Problem.of(401, "invalid-signature", "Invalid signature",
                    verification.rejection().detail()));
        }
        String eventId = verification.id().or(() -> idInBody(body)).orElseGet(() -> "sha256:" + sha256(body));
        if (eventId.length() > MAX_EVENT_ID) {
            eventId = "sha256:" + sha256(eventId.getBytes(StandardCharsets.UTF_8));
        }
        IdempotencyStore.Claim claim;
        try {
            claim = dedupe.claim("in/" + name, eventId, now.toString(), config.dedupeTtl());
        } catch (SdkException e) {
            throw ProblemException.unavailable("cannot record the event right now", 1);
        }
        if (!claim.first()) {
            return HttpResponse.json(200, result("duplicate", eventId));
        }
        try {
            publisher.publish(source.destination(), name, eventId, envelope(name, eventId, now, request, body));
        } catch (Exception e) {
            // Forget the claim so that the sender's retry is not taken for a duplicate of an event never published.
            LOG.warnf("source %s: publishing %s to %s failed: %s", name, eventId, source.destination().name(), e.toString());
            try {
                dedupe.release("in/" + name, eventId);
            } catch (SdkException ignored) {
                LOG.warnf("source %s: could not release the claim of %s; its retries count as duplicates until it expires", name, eventId);
            }
            throw ProblemException.unavailable("the event could not be handed on; retry", 1);
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

    /** What consumers get: the body exactly as received (text when it is UTF-8, else base64) with its context. */
    private static byte[] envelope(String source, String eventId, Instant receivedAt, HttpRequest request, byte[] body) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("source", source);
        out.put("id", eventId);
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
        out.put("scheme", source.scheme().wire());
        out.put("secretCount", source.secrets().secrets().size());
        out.put("toleranceSeconds", source.tolerance().toSeconds());
        out.putObject("destination").put("type", source.destination().kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("name", source.destination().name());
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

    private static ObjectNode result(String status, String eventId) {
        return JsonNodeFactory.instance.objectNode().put("status", status).put("id", eventId);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
