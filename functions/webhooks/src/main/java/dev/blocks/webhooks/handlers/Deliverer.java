package dev.blocks.webhooks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.breaker.CircuitBreaker;
import dev.blocks.kit.lambda.Invocation;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.kit.net.GuardedHttpClient;
import dev.blocks.kit.sqs.SqsFunction;
import dev.blocks.kit.sqs.SqsMessage;
import dev.blocks.webhooks.delivery.EndpointBreakers;
import dev.blocks.webhooks.domain.Attempt;
import dev.blocks.webhooks.domain.AttemptResult;
import dev.blocks.webhooks.domain.DeliveryPolicy;
import dev.blocks.webhooks.domain.DisableRule;
import dev.blocks.webhooks.domain.Endpoint;
import dev.blocks.webhooks.domain.Message;
import dev.blocks.webhooks.domain.MessageStatus;
import dev.blocks.webhooks.domain.NextStep;
import dev.blocks.webhooks.domain.RetryAfter;
import dev.blocks.webhooks.domain.StandardSignatures;
import dev.blocks.webhooks.store.CachedEndpoints;
import dev.blocks.webhooks.store.DeliveryQueue;
import dev.blocks.webhooks.store.EndpointTable;
import dev.blocks.webhooks.store.MessageTable;
import dev.blocks.webhooks.store.QueuedDelivery;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * webhooks-deliverer: consumes the delivery queue, one attempt per queue message. The messages of a batch are
 * delivered side by side, so one slow receiver holds up none of the others in its batch; an endpoint whose
 * circuit breaker is open gets its messages deferred without a call, each deferral counting as an attempt of the
 * message's schedule. Every message that ends FAILED (schedule used up, 410, endpoint disabled) gets a record in
 * the dead-letter queue, except those of a deleted endpoint. Round trips per attempt: one BatchGetItem
 * (message and event body), the HTTP call, one conditional UpdateItem (the attempt and the new status), and one
 * SendMessage when another attempt follows; endpoints come from an in-process cache.
 */
@ApplicationScoped
@Named(Deliverer.NAME)
class Deliverer implements SqsFunction {

    static final String NAME = "webhooks-deliverer";

    private static final Logger LOG = Logger.getLogger(Deliverer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StandardSignatures SIGNATURES = new StandardSignatures();

    /** HTTP calls made to endpoints (deferrals by an open breaker are not calls). */
    static final String ATTEMPTS = "webhooks.attempts";
    /** Calls that did not deliver: an error, a timeout or a non-2xx answer (retried, given up, or 410). */
    static final String ATTEMPTS_FAILED = "webhooks.attempts_failed";
    /** Attempts not made because the endpoint's circuit breaker was open; they count against the schedule. */
    static final String ATTEMPTS_DEFERRED = "webhooks.attempts_deferred";
    /** Milliseconds each call took, connect to answer. */
    static final String ATTEMPT_LATENCY = "webhooks.attempt_latency";
    /** Messages the endpoint accepted (2xx). */
    static final String DELIVERED = "webhooks.delivered";
    /** Messages that ended FAILED and were recorded in the dead-letter queue. */
    static final String DEAD_LETTERED = "webhooks.dead_lettered";

    private final CachedEndpoints cachedEndpoints;
    private final EndpointTable endpoints;
    private final MessageTable messages;
    private final DeliveryQueue queue;
    private final GuardedHttpClient http;
    private final DeliveryPolicy policy;
    private final EndpointBreakers breakers;
    private final DisableRule disableRule;
    private final Duration earlyTolerance;
    private final ExecutorService workers;
    private final Metrics metrics;

    Deliverer(CachedEndpoints cachedEndpoints, EndpointTable endpoints, MessageTable messages, DeliveryQueue queue,
              GuardedHttpClient http, DeliveryPolicy policy, EndpointBreakers breakers, DisableRule disableRule,
              WebhooksConfig config, Metrics metrics) {
        this.metrics = metrics;
        this.cachedEndpoints = cachedEndpoints;
        this.endpoints = endpoints;
        this.messages = messages;
        this.queue = queue;
        this.http = http;
        this.policy = policy;
        this.breakers = breakers;
        this.disableRule = disableRule;
        this.earlyTolerance = config.delivery().earlyTolerance();
        this.workers = Executors.newFixedThreadPool(Math.max(1, config.delivery().concurrency()), r -> {
            Thread t = new Thread(r, "webhook-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Delivers the records of the batch concurrently; each record's failure is reported on its own. */
    @Override
    public JsonNode invoke(JsonNode event) {
        List<Future<JsonNode>> results = new ArrayList<>();
        // Each worker runs as part of this invocation: its deadline (a delivery not started in time is left for the
        // retry) and its log fields.
        Invocation invocation = Invocation.current();
        for (JsonNode record : event.path("Records")) {
            ObjectNode single = JsonNodeFactory.instance.objectNode();
            single.putArray("Records").add(record);
            results.add(workers.submit(() -> Invocation.callWith(invocation, () -> SqsFunction.super.invoke(single))));
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        for (Future<JsonNode> result : results) {
            try {
                result.get().path("batchItemFailures").forEach(failures::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while delivering", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a delivery task failed", e.getCause());
            }
        }
        return response;
    }

    @Override
    public void onMessage(SqsMessage sqsMessage) throws Exception {
        QueuedDelivery queued = QueuedDelivery.fromJson(JSON.readTree(sqsMessage.body()));
        Instant now = Instant.now();
        if (queued.due().isAfter(now.plus(earlyTolerance))) {
            // A wait longer than SQS's 15-minute delay: the next link of the chain.
            queue.send(queued, now);
            return;
        }
        Optional<Endpoint> endpoint = cachedEndpoints.find(queued.owner(), queued.endpointId());
        Optional<MessageTable.Delivery> found = messages.findForDelivery(queued.messageId(), queued.eventId());
        if (found.isEmpty()) {
            LOG.warnf("message %s is gone (expired?); dropping its delivery", queued.messageId());
            return;
        }
        Message message = found.get().message();
        if (message.status() != MessageStatus.PENDING || message.round() != queued.round()
                || message.attempts() != queued.attempt() - 1) {
            resumeAfterCrash(queued, message, sqsMessage.receiveCount(), now);
            return;
        }
        if (endpoint.isEmpty()) {
            messages.fail(message, "the endpoint was deleted", now);
            return;
        }
        if (endpoint.get().disabled()) {
            // Disabled by its owner, by a 410 or by the disable rule: it will not be delivered without a recover.
            String reason = "the endpoint is disabled: " + (endpoint.get().disabledReason() == null
                    ? "by its owner" : endpoint.get().disabledReason());
            if (messages.fail(message, reason, now)) {
                park(message, reason);
            }
            return;
        }
        CircuitBreaker breaker = breakers.of(queued.endpointId());
        if (!breaker.tryAcquire()) {
            defer(queued, message, breaker, now);
            return;
        }
        attempt(queued, message, found.get().body(), endpoint.get());
    }

    private void attempt(QueuedDelivery queued, Message message, String body, Endpoint endpoint) {
        Instant at = Instant.now();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = SIGNATURES.sign(message.id(), at, bytes,
                endpoint.signingSecrets(at).keys(SIGNATURES));
        GuardedHttpClient.Answer answer = http.post(endpoint.url(), headers, bytes);
        metrics.increment(ATTEMPTS);
        metrics.record(ATTEMPT_LATENCY, answer.latency().toMillis());
        Instant done = Instant.now();
        AttemptResult result = new AttemptResult(answer.status(), answer.latency(), answer.excerpt(), answer.error(),
                answer.retryAfter() == null ? null : RetryAfter.parse(answer.retryAfter(), done).orElse(null));
        Attempt attempt = new Attempt(queued.round(), queued.attempt(), at, result.status(), result.latency().toMillis(),
                result.excerpt(), result.error());
        NextStep step = policy.after(queued.attempt(), result, done, () -> ThreadLocalRandom.current().nextDouble());
        CircuitBreaker breaker = breakers.of(endpoint.id());
        if (!(step instanceof NextStep.Delivered)) {
            metrics.increment(ATTEMPTS_FAILED);
        }
        if (step instanceof NextStep.Delivered) {
            messages.recordAttempt(message, attempt, MessageStatus.DELIVERED, null, null);
            metrics.increment(DELIVERED);
            breaker.onSuccess();
            if (endpoint.failingSince() != null) {
                endpoints.clearFailing(endpoint.owner(), endpoint.id());
                cachedEndpoints.forget(endpoint.owner(), endpoint.id());
            }
        } else if (step instanceof NextStep.Retry retry) {
            if (messages.recordAttempt(message, attempt, MessageStatus.PENDING, null, retry.at())) {
                queue.send(queued.at(retry.attempt(), retry.at()), done);
            }
            breaker.onFailure();
            failing(endpoint, done);
        } else if (step instanceof NextStep.GaveUp gaveUp) {
            if (messages.recordAttempt(message, attempt, MessageStatus.FAILED, gaveUp.reason(), null)) {
                park(message, gaveUp.reason());
                LOG.infof("message %s to %s FAILED: %s", message.id(), endpoint.id(), gaveUp.reason());
            }
            breaker.onFailure();
            failing(endpoint, done);
        } else {
            // The endpoint first: whoever sees the message FAILED sees its endpoint disabled (and a crash in between
            // leaves the message PENDING, which its redelivery FAILs as the message of a disabled endpoint).
            endpoints.disable(endpoint.owner(), endpoint.id(), "the endpoint answered 410 Gone", done);
            cachedEndpoints.forget(endpoint.owner(), endpoint.id());
            LOG.infof("endpoint %s answered 410 Gone: disabled", endpoint.id());
            if (messages.recordAttempt(message, attempt, MessageStatus.FAILED, "the endpoint answered 410 Gone", null)) {
                park(message, "the endpoint answered 410 Gone");
            }
        }
    }

    /** Counts a failure towards the disable rule: an endpoint failing for long enough is disabled. */
    private void failing(Endpoint endpoint, Instant now) {
        Instant since = endpoint.failingSince();
        if (since == null) {
            since = endpoints.markFailing(endpoint.owner(), endpoint.id(), now).orElse(null);
            cachedEndpoints.forget(endpoint.owner(), endpoint.id());
        }
        if (disableRule.disables(since, now)) {
            endpoints.disable(endpoint.owner(), endpoint.id(), "every delivery failed since " + since, now);
            cachedEndpoints.forget(endpoint.owner(), endpoint.id());
            LOG.infof("endpoint %s disabled: failing since %s", endpoint.id(), since);
        }
    }

    /**
     * The breaker is open: this attempt is not made, and counts against the message's schedule (recorded as an
     * attempt without a call), so that a message to a dead endpoint reaches FAILED and the dead-letter queue when
     * its schedule is used up rather than being deferred for as long as the endpoint stays dead. The next attempt
     * is no earlier than the breaker's probe, spread over a second so that deferred messages do not flock.
     */
    private void defer(QueuedDelivery queued, Message message, CircuitBreaker breaker, Instant now) {
        Duration untilProbe = breaker.untilProbe().plusMillis(ThreadLocalRandom.current().nextLong(1000));
        NextStep step = policy.deferred(queued.attempt(), untilProbe, now, () -> ThreadLocalRandom.current().nextDouble());
        Attempt attempt = new Attempt(queued.round(), queued.attempt(), now, 0, 0, null, DeliveryPolicy.NOT_SENT);
        metrics.increment(ATTEMPTS_DEFERRED);
        if (step instanceof NextStep.Retry retry) {
            if (messages.recordAttempt(message, attempt, MessageStatus.PENDING, null, retry.at())) {
                queue.send(queued.at(retry.attempt(), retry.at()), now);
            }
        } else if (step instanceof NextStep.GaveUp gaveUp) {
            if (messages.recordAttempt(message, attempt, MessageStatus.FAILED, gaveUp.reason(), null)) {
                park(message, gaveUp.reason());
                LOG.infof("message %s to %s FAILED: %s", message.id(), queued.endpointId(), gaveUp.reason());
            }
        }
    }

    /**
     * The queue message is stale (the attempt is already recorded), which is normal for a duplicate delivery. But
     * when SQS redelivers a message whose attempt was recorded and whose next attempt may never have been queued
     * (the instance died in between), the next attempt is queued now; a duplicate of it changes nothing.
     */
    private void resumeAfterCrash(QueuedDelivery queued, Message message, int receiveCount, Instant now) {
        if (receiveCount > 1 && message.status() == MessageStatus.PENDING && message.round() == queued.round()
                && message.attempts() == queued.attempt() && message.nextAttemptAt() != null) {
            queue.send(queued.at(queued.attempt() + 1, message.nextAttemptAt()), now);
        }
    }

    /** Records a message that ended FAILED in the dead-letter queue. */
    private void park(Message message, String reason) {
        queue.deadLetter(deadLetter(message, reason));
        metrics.increment(DEAD_LETTERED);
    }

    private static String deadLetter(Message message, String reason) {
        return JsonNodeFactory.instance.objectNode().put("messageId", message.id()).put("eventId", message.eventId())
                .put("owner", message.owner()).put("endpointId", message.endpointId())
                .put("eventType", message.eventType()).put("reason", reason).toString();
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
