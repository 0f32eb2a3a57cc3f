package dev.blocks.webhooks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.blocks.kit.idempotency.RequestFingerprint;
import dev.blocks.kit.identity.Authenticator;
import dev.blocks.kit.identity.Caller;
import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.webhooks.domain.Endpoint;
import dev.blocks.webhooks.domain.EventTypes;
import dev.blocks.webhooks.domain.Ids;
import dev.blocks.webhooks.domain.Message;
import dev.blocks.webhooks.domain.SecretSet;
import dev.blocks.kit.validation.FieldError;
import dev.blocks.webhooks.domain.WebhookSecret;
import dev.blocks.webhooks.store.DeliveryQueue;
import dev.blocks.webhooks.store.EndpointTable;
import dev.blocks.webhooks.store.MessageTable;
import dev.blocks.webhooks.store.QueuedDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * webhooks-out: the API of outbound webhooks. Endpoints ({@code /v1/endpoints}, a {@code whsec_} secret shown
 * once), events ({@code POST /v1/events}: one message per subscribed endpoint), messages and their attempts, and
 * recovery of failed messages. Every route needs an API key (or authorizer claims); data is scoped to its owner.
 */
@ApplicationScoped
@Named(WebhooksOut.NAME)
class WebhooksOut implements HttpFunction {

    static final String NAME = "webhooks-out";

    private static final Logger LOG = Logger.getLogger(WebhooksOut.class);
    private static final int MAX_ENDPOINT_BODY = 16 * 1024;
    private static final int MAX_RECOVER = 1000;

    // The fields each body-reading route knows: anything else is a 400 naming it (see KnownFields).
    static final KnownFields CREATE_ENDPOINT = KnownFields.of("url", "events", "description", "secret");
    static final KnownFields PATCH_ENDPOINT = KnownFields.of("url", "events", "description", "disabled", "rotateSecret");
    static final KnownFields RECOVER = KnownFields.of("since");
    static final KnownFields PUBLISH = KnownFields.of("type", "idempotencyKey").open("payload");

    private final Authenticator authenticator;
    private final EndpointTable endpoints;
    private final MessageTable messages;
    private final DeliveryQueue queue;
    private final OutboundGuard guard;
    private final IdempotencyStore idempotency;
    private final WebhooksConfig config;
    private final Fanout fanout;
    private final Routes routes = new Routes()
            .on("POST /v1/endpoints", this::create)
            .on("GET /v1/endpoints", this::list)
            .on("GET /v1/endpoints/{id}", this::get)
            .on("PATCH /v1/endpoints/{id}", this::patch)
            .on("DELETE /v1/endpoints/{id}", this::delete)
            .on("POST /v1/endpoints/{id}/recover", this::recover)
            .on("POST /v1/events", this::publish)
            .on("GET /v1/messages/{id}", this::message)
            .on("GET /v1/messages/{id}/attempts", this::attempts);

    WebhooksOut(Authenticator authenticator, EndpointTable endpoints, MessageTable messages, DeliveryQueue queue,
                OutboundGuard guard, IdempotencyStore idempotency, Fanout fanout, WebhooksConfig config) {
        this.authenticator = authenticator;
        this.endpoints = endpoints;
        this.messages = messages;
        this.queue = queue;
        this.guard = guard;
        this.idempotency = idempotency;
        this.config = config;
        this.fanout = fanout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        return routes.dispatch(request);
    }

    private HttpResponse create(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        ObjectNode body = JsonBody.object(request, MAX_ENDPOINT_BODY);
        CREATE_ENDPOINT.check(body);
        List<FieldError> violations = new ArrayList<>();
        String url = Fields.text(body, "url", violations);
        List<String> events = Fields.texts(body, "events", violations);
        String description = Fields.text(body, "description", violations);
        String secret = Fields.text(body, "secret", violations);
        if (url == null) {
            violations.add(new FieldError("url", "required"));
        } else {
            guard.registrationRefusal(url).ifPresent(reason -> violations.add(new FieldError("url", reason)));
        }
        checkEvents(events == null ? List.of(EventTypes.ALL) : events, violations);
        checkDescription(description, violations);
        if (secret != null && WebhookSecret.standardRefusal(secret) != null) {
            violations.add(new FieldError("secret", WebhookSecret.standardRefusal(secret)));
        }
        Fields.check(violations);
        if (endpoints.list(caller.owner(), config.endpoints().maxPerOwner() + 1).size() >= config.endpoints().maxPerOwner()) {
            throw ProblemException.conflict("at most " + config.endpoints().maxPerOwner() + " endpoints per owner");
        }
        Instant now = Instant.now();
        String shown = secret != null ? secret : WebhookSecret.generate();
        Endpoint endpoint = new Endpoint(caller.owner(), Ids.endpoint(), url,
                events == null ? List.of(EventTypes.ALL) : List.copyOf(events), description, SecretSet.of(shown), null,
                false, null, null, now, now);
        endpoints.create(endpoint);
        LOG.infof("endpoint %s created by %s", endpoint.id(), caller.owner());
        return HttpResponse.json(201, Views.endpoint(endpoint).put("secret", shown))
                .withHeader("location", "/v1/endpoints/" + endpoint.id());
    }

    private HttpResponse list(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode items = out.putArray("endpoints");
        endpoints.list(caller.owner(), config.endpoints().maxPerOwner()).forEach(e -> items.add(Views.endpoint(e)));
        return HttpResponse.json(200, out);
    }

    private HttpResponse get(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        return HttpResponse.json(200, Views.endpoint(owned(caller, request.pathParameter("id"))));
    }

    private HttpResponse patch(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String id = request.pathParameter("id");
        ObjectNode body = JsonBody.object(request, MAX_ENDPOINT_BODY);
        PATCH_ENDPOINT.check(body);
        List<FieldError> violations = new ArrayList<>();
        String url = Fields.text(body, "url", violations);
        List<String> events = Fields.texts(body, "events", violations);
        String description = Fields.text(body, "description", violations);
        Boolean disabled = null;
        if (body.has("disabled")) {
            if (body.get("disabled").isBoolean()) {
                disabled = body.get("disabled").asBoolean();
            } else {
                violations.add(new FieldError("disabled", "must be true or false"));
            }
        }
        boolean rotate = body.path("rotateSecret").asBoolean(false);
        if (url != null) {
            guard.registrationRefusal(url).ifPresent(reason -> violations.add(new FieldError("url", reason)));
        }
        if (events != null) {
            checkEvents(events, violations);
        }
        checkDescription(description, violations);
        Fields.check(violations);
        Endpoint current = owned(caller, id);
        Instant now = Instant.now();
        String newSecret = rotate ? WebhookSecret.generate() : null;
        EndpointTable.Change change = new EndpointTable.Change(url, events, description, disabled,
                rotate ? current.secrets().rotatedTo(newSecret) : null,
                rotate ? now.plus(config.endpoints().rotationOverlap()) : null);
        Endpoint updated = endpoints.update(caller.owner(), id, change, now)
                .orElseThrow(() -> ProblemException.notFound("no endpoint " + id));
        ObjectNode view = Views.endpoint(updated);
        if (newSecret != null) {
            view.put("secret", newSecret);
        }
        return HttpResponse.json(200, view);
    }

    private HttpResponse delete(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String id = request.pathParameter("id");
        if (!Ids.plausible(id) || !endpoints.delete(caller.owner(), id)) {
            throw ProblemException.notFound("no endpoint " + id);
        }
        return HttpResponse.empty(204);
    }

    /** Re-sends the endpoint's FAILED messages that failed since {@code since}, each in a new round of attempts. */
    private HttpResponse recover(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String id = request.pathParameter("id");
        ObjectNode body = JsonBody.object(request, MAX_ENDPOINT_BODY);
        RECOVER.check(body);
        Instant since;
        try {
            since = Instant.parse(body.path("since").asText(""));
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("since", "an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
        }
        Endpoint endpoint = owned(caller, id);
        if (endpoint.disabled()) {
            throw ProblemException.conflict("the endpoint is disabled; enable it (PATCH {\"disabled\": false}) first");
        }
        Instant now = Instant.now();
        List<MessageTable.FailedMessage> failed = messages.failedSince(id, since, MAX_RECOVER);
        List<QueuedDelivery> deliveries = new ArrayList<>();
        for (MessageTable.FailedMessage m : failed) {
            Optional<Integer> round = messages.reopen(m.id(), now);
            round.ifPresent(r -> deliveries.add(new QueuedDelivery(m.id(), m.eventId(), caller.owner(), id, r, 1, now)));
        }
        queue.send(deliveries, now);
        LOG.infof("endpoint %s: %d failed message(s) since %s sent again", id, deliveries.size(), since);
        return HttpResponse.json(202, JsonNodeFactory.instance.objectNode().put("recovered", deliveries.size())
                .put("more", failed.size() >= MAX_RECOVER));
    }

    private HttpResponse publish(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        ObjectNode body = JsonBody.object(request, config.events().maxBodyBytes());
        PUBLISH.check(body);
        List<FieldError> violations = new ArrayList<>();
        String type = Fields.text(body, "type", violations);
        String key = Fields.text(body, "idempotencyKey", violations);
        if (key == null) {
            key = request.header("idempotency-key").orElse(null);
        }
        if (!EventTypes.validType(type)) {
            violations.add(new FieldError("type", "1 to 128 characters: letters, digits, _ and -, in dot-separated parts"));
        }
        JsonNode payload = body.get("payload");
        if (payload == null || payload.isNull()) {
            violations.add(new FieldError("payload", "required (any JSON value)"));
        }
        if (key != null && (key.isBlank() || key.length() > 255)) {
            violations.add(new FieldError("idempotencyKey", "1 to 255 characters"));
        }
        Fields.check(violations);
        Instant now = Instant.now();
        if (key == null) {
            // Without a key a retry cannot be told from a new event: whatever could not be queued now is stored
            // and sent by the sweeper, and the event is accepted.
            return published(fanout.publish(caller.owner(), Ids.event(), type, payload, now), type);
        }
        String scope = "events/" + caller.owner();
        IdempotencyStore.Claim claim = idempotency.claim(scope, key, fingerprint(body), Ids.event(),
                config.events().inFlightLease(), config.events().idempotencyTtl());
        if (claim instanceof IdempotencyStore.Claim.Mismatch) {
            throw new ProblemException(Problem.of(422, "idempotency-key-reused", "Idempotency key reused",
                    "this idempotency key was used for a different request (another type or payload) within "
                            + config.events().idempotencyTtl()));
        }
        if (claim instanceof IdempotencyStore.Claim.InFlight inFlight) {
            long wait = Math.max(1, Duration.between(now, inFlight.leaseUntil()).toSeconds() + 1);
            throw new ProblemException(Problem.of(409, "in-progress", "Request in progress",
                    "a request with this idempotency key is being processed; retry later"),
                    Map.of("retry-after", Long.toString(wait)));
        }
        if (claim instanceof IdempotencyStore.Claim.Done) {
            return HttpResponse.json(200, JsonNodeFactory.instance.objectNode().put("id", claim.value())
                    .put("type", type).put("duplicate", true));
        }
        // This caller holds the key: a new event, or (taken over) the same event a publisher that died or failed
        // left behind, continued under its id, so that its messages keep their ids.
        String eventId = claim.value();
        Fanout.Published published;
        try {
            published = ((IdempotencyStore.Claim.Acquired) claim).takenOver()
                    ? fanout.resume(eventId, now).orElseGet(() -> fanout.publish(caller.owner(), eventId, type, payload, now))
                    : fanout.publish(caller.owner(), eventId, type, payload, now);
        } catch (SdkException e) {
            idempotency.abandon(scope, key);
            LOG.warnf("event %s: publication failed: %s", eventId, e.toString());
            throw ProblemException.unavailable("the event could not be stored; retry with the same idempotency key", 1);
        }
        if (!published.unsent().isEmpty()) {
            // Stored, but not all queued: the retry (same key) sends the rest at once, under the same ids.
            idempotency.abandon(scope, key);
            LOG.warnf("event %s: %d of %d message(s) could not be queued", eventId, published.unsent().size(),
                    published.endpointIds().size());
            throw ProblemException.unavailable("event " + eventId + " is stored but " + published.unsent().size()
                    + " of its messages could not be queued; retry with the same idempotency key (or they are sent within "
                    + config.events().sweepAfter().toSeconds() + " s)", 1);
        }
        idempotency.complete(scope, key, config.events().idempotencyTtl());
        return published(published, type);
    }

    /** What an idempotency key remembers of the request: its route and body, the key itself left out. */
    static String fingerprint(ObjectNode body) {
        ObjectNode request = body.deepCopy();
        request.remove("idempotencyKey");
        return RequestFingerprint.of("POST /v1/events", request);
    }

    private static HttpResponse published(Fanout.Published published, String type) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", published.eventId()).put("type", type).put("duplicate", false);
        ArrayNode list = out.putArray("messages");
        List<String> ids = published.messageIds();
        for (int i = 0; i < ids.size(); i++) {
            list.addObject().put("id", ids.get(i)).put("endpointId", published.endpointIds().get(i));
        }
        return HttpResponse.json(202, out);
    }

    private HttpResponse message(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        return HttpResponse.json(200, Views.message(ownedMessage(caller, request.pathParameter("id"))));
    }

    private HttpResponse attempts(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        return HttpResponse.json(200, Views.attempts(ownedMessage(caller, request.pathParameter("id"))));
    }

    private Endpoint owned(Caller caller, String id) {
        if (!Ids.plausible(id)) {
            throw ProblemException.notFound("no endpoint " + id);
        }
        return endpoints.find(caller.owner(), id).orElseThrow(() -> ProblemException.notFound("no endpoint " + id));
    }

    private Message ownedMessage(Caller caller, String id) {
        if (!Ids.plausible(id)) {
            throw ProblemException.notFound("no message " + id);
        }
        return messages.find(id).filter(m -> m.owner().equals(caller.owner()))
                .orElseThrow(() -> ProblemException.notFound("no message " + id));
    }

    private static void checkEvents(List<String> events, List<FieldError> violations) {
        if (events.isEmpty() || events.size() > 50) {
            violations.add(new FieldError("events", "1 to 50 event types, type.* families, or *"));
        } else if (!events.stream().allMatch(EventTypes::validFilter)) {
            violations.add(new FieldError("events", "each an event type, a type.* family, or *"));
        }
    }

    private static void checkDescription(String description, List<FieldError> violations) {
        if (description != null && description.length() > 256) {
            violations.add(new FieldError("description", "at most 256 characters"));
        }
    }
}
