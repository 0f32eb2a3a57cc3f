package dev.blocks.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import dev.blocks.localcloud.lambda.FunctionInvoker.Queued;
import dev.blocks.localcloud.spec.FunctionSpec;
import dev.blocks.localcloud.spec.FunctionSpec.AsyncInvokeConfig;
import dev.blocks.localcloud.spec.FunctionSpec.Destination;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Lambda's internal queue for asynchronous invocations (invocation type Event). Each function has its own queue;
 * an event is run, and after a function error tried again up to the function's {@code maximumRetryAttempts} (one
 * and two minutes later by default), after a throttle tried again with a growing wait for as long as it is younger
 * than {@code maximumEventAge}. Then its invocation record goes to the function's {@code onSuccess} or
 * {@code onFailure} destination, or, on failure without a destination, the event itself to the dead-letter queue,
 * in the shapes Lambda documents ("Capturing records of Lambda asynchronous invocations"). Without any of these a
 * failed event is dropped, as on AWS: that is logged.
 *
 * <p>Unlike Lambda, every attempt of an event reaches the function with a request id of its own (the Lambda
 * service assigns one per run); the records name the id the Invoke call was answered with.
 */
final class AsyncInvocations implements AutoCloseable {

    static final String RETRIES_EXHAUSTED = "RetriesExhausted";
    static final String EVENT_AGE_EXCEEDED = "EventAgeExceeded";
    static final String SUCCESS = "Success";

    private static final Logger LOG = LoggerFactory.getLogger(AsyncInvocations.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Runs of one function's queue at a time: the queue feeds the function, it does not flood it. */
    private static final int POLLERS = 4;
    private static final int MAX_DLQ_ERROR_MESSAGE = 1024;

    private final Map<String, FunctionQueue> queues = new LinkedHashMap<>();
    private final FunctionInvoker invoker;
    private final Function<String, String> functionArn;
    private final AsyncRetryDelays delays;
    private final SqsClient sqs;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("async-timer"));
    private final ExecutorService runs = Executors.newCachedThreadPool(daemon("async-invoke"));
    private volatile boolean closed;

    /**
     * @param sqs where queue destinations and dead-letter queues are written; null when the cloud has no SQS
     *            (then a function with such a destination is refused here)
     */
    AsyncInvocations(List<FunctionSpec> functions, FunctionInvoker invoker, Function<String, String> functionArn,
                     AsyncRetryDelays delays, SqsClient sqs) {
        this.invoker = invoker;
        this.functionArn = functionArn;
        this.delays = delays;
        this.sqs = sqs;
        for (FunctionSpec function : functions) {
            AsyncInvokeConfig config = function.async();
            boolean writesQueues = config.deadLetterQueue().isPresent()
                    || config.onSuccess().map(d -> d.kind() == Destination.Kind.QUEUE).orElse(false)
                    || config.onFailure().map(d -> d.kind() == Destination.Kind.QUEUE).orElse(false);
            if (writesQueues && sqs == null) {
                throw new IllegalArgumentException("function " + function.name() + " sends asynchronous invocation"
                        + " records to an SQS queue, but this cloud has no SQS");
            }
            queues.put(function.name(), new FunctionQueue(function));
        }
    }

    /** An SQS client on the cloud's SQS endpoint, or null when there is none. */
    static SqsClient sqsClient(dev.blocks.localcloud.junit.Endpoints endpoints) {
        if (endpoints == null || endpoints.sqs() == null) {
            return null;
        }
        return SqsClient.builder()
                .endpointOverride(URI.create(endpoints.sqs()))
                .region(Region.of(endpoints.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Queues an event for the function; returns at once. */
    Queued submit(String functionName, byte[] payload) {
        FunctionQueue queue = queues.get(functionName);
        if (queue == null) {
            throw new LambdaService.UnknownFunction(functionName);
        }
        Event event = new Event(UUID.randomUUID().toString(), queue, payload, Instant.now());
        queue.add(event);
        return new Queued(event.requestId, event.firstAttempt);
    }

    private void attempt(Event event) {
        AsyncInvokeConfig config = event.queue.spec.async();
        if (expired(event, Instant.now())) {
            failed(event, EVENT_AGE_EXCEEDED);
            return;
        }
        byte[] response;
        try {
            response = invoker.invokeAs(event.requestId, event.queue.spec.name(), event.payload);
        } catch (FunctionError error) {
            if (error.throttled()) {
                // Not a run of the function: retried while the event is young enough, not counted as an attempt.
                event.throttles++;
                event.lastThrottle = error;
                later(event, delays.afterThrottle(event.throttles));
                return;
            }
            event.invokeCount++;
            event.lastError = error;
            event.firstAttempt.completeExceptionally(error);
            if (event.invokeCount > config.maximumRetryAttempts()) {
                failed(event, RETRIES_EXHAUSTED);
            } else {
                later(event, delays.afterFunctionError(event.invokeCount));
            }
            return;
        } catch (RuntimeException e) {
            // The Lambda service is shutting down, or the function is gone: nothing left to retry on.
            LOG.warn("function {}: asynchronous invocation {} abandoned", event.queue.spec.name(), event.requestId, e);
            event.firstAttempt.completeExceptionally(e);
            return;
        }
        event.invokeCount++;
        event.firstAttempt.complete(null);
        config.onSuccess().ifPresent(destination ->
                deliver(event, destination, record(event, SUCCESS, response, null)));
    }

    private boolean expired(Event event, Instant now) {
        return !now.isBefore(event.enqueued.plus(event.queue.spec.async().maximumEventAge()));
    }

    /** Tries the event again after {@code delay}, or when it grows too old if that comes first. */
    private void later(Event event, Duration delay) {
        Duration left = Duration.between(Instant.now(), event.enqueued.plus(event.queue.spec.async().maximumEventAge()));
        Duration wait = delay.compareTo(left) < 0 ? delay : left.isNegative() ? Duration.ZERO : left;
        try {
            timer.schedule(() -> event.queue.add(event), wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            event.firstAttempt.completeExceptionally(e);
        }
    }

    private void failed(Event event, String condition) {
        String function = event.queue.spec.name();
        AsyncInvokeConfig config = event.queue.spec.async();
        FunctionError error = event.lastError != null ? event.lastError : event.lastThrottle;
        event.firstAttempt.completeExceptionally(error != null ? error
                : new IllegalStateException("the event grew older than the function's maximum event age unrun"));
        if (config.onFailure().isPresent()) {
            deliver(event, config.onFailure().get(),
                    record(event, condition, event.lastError == null ? null : event.lastError.payload(), event.lastError));
        } else if (config.deadLetterQueue().isPresent()) {
            toDeadLetterQueue(event, config.deadLetterQueue().get(), error);
        } else {
            LOG.info("function {}: asynchronous invocation {} dropped ({}, {} run(s)); it has no on-failure"
                    + " destination or dead-letter queue", function, event.requestId, condition, event.invokeCount);
        }
    }

    /**
     * The invocation record Lambda sends to a destination: the request (id, function version ARN, why it is
     * sent, how many runs it took), the event, and the function's answer (its response, or its error document).
     */
    private byte[] record(Event event, String condition, byte[] response, FunctionError error) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("version", "1.0");
        record.put("timestamp", TIMESTAMP.format(Instant.now()));
        ObjectNode context = record.putObject("requestContext");
        context.put("requestId", event.requestId);
        context.put("functionArn", functionArn.apply(event.queue.spec.name()) + ":$LATEST");
        context.put("condition", condition);
        context.put("approximateInvokeCount", event.invokeCount);
        record.set("requestPayload", json(event.payload));
        if (event.invokeCount > 0) {
            // An event that was never run (throttled until it expired) has no response to describe.
            ObjectNode responseContext = record.putObject("responseContext");
            responseContext.put("statusCode", 200);
            responseContext.put("executedVersion", "$LATEST");
            if (error != null) {
                responseContext.put("functionError", "Unhandled");
            }
            record.set("responsePayload", json(response));
        }
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("an invocation record could not be written", e);
        }
    }

    /** A payload as the JSON it is; one that is not JSON is carried as a string, an empty one as null. */
    private static JsonNode json(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode(new String(payload, StandardCharsets.UTF_8));
        }
    }

    private void deliver(Event event, Destination destination, byte[] record) {
        String function = event.queue.spec.name();
        try {
            switch (destination.kind()) {
                case QUEUE -> sqs.sendMessage(message -> message.queueUrl(queueUrl(destination.name()))
                        .messageBody(new String(record, StandardCharsets.UTF_8)));
                // Lambda invokes a destination function asynchronously, with the record as its event.
                case FUNCTION -> submit(destination.name(), record);
            }
        } catch (RuntimeException e) {
            queueUrls.remove(destination.name());
            LOG.warn("function {}: the record of asynchronous invocation {} could not be sent to {} {}", function,
                    event.requestId, destination.kind(), destination.name(), e);
        }
    }

    /**
     * The event itself, unchanged, with the error in message attributes: RequestID, ErrorCode (the HTTP status of
     * the failed Invoke: 200 for a function error, which Invoke answers with 200, 429 for a throttle) and
     * ErrorMessage (cut to 1 KB).
     */
    private void toDeadLetterQueue(Event event, String queue, FunctionError error) {
        String message = error == null ? "the event grew older than the function's maximum event age"
                : error.getMessage() == null ? error.errorType() : error.getMessage();
        if (message.length() > MAX_DLQ_ERROR_MESSAGE) {
            message = message.substring(0, MAX_DLQ_ERROR_MESSAGE);
        }
        String errorMessage = message;
        String errorCode = error != null && error.throttled() ? "429" : "200";
        try {
            sqs.sendMessage(send -> send.queueUrl(queueUrl(queue))
                    .messageBody(new String(event.payload, StandardCharsets.UTF_8))
                    .messageAttributes(Map.of(
                            "RequestID", attribute("String", event.requestId),
                            "ErrorCode", attribute("Number", errorCode),
                            "ErrorMessage", attribute("String", errorMessage))));
        } catch (RuntimeException e) {
            queueUrls.remove(queue);
            LOG.warn("function {}: asynchronous invocation {} could not be sent to its dead-letter queue {}",
                    event.queue.spec.name(), event.requestId, queue, e);
        }
    }

    private static MessageAttributeValue attribute(String type, String value) {
        return MessageAttributeValue.builder().dataType(type).stringValue(value).build();
    }

    private String queueUrl(String queueName) {
        return queueUrls.computeIfAbsent(queueName, name -> sqs.getQueueUrl(request -> request.queueName(name)).queueUrl());
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        runs.shutdownNow();
        if (sqs != null) {
            sqs.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One function's queue: events wait here until one of its runs is free. */
    private final class FunctionQueue {
        private final FunctionSpec spec;
        private final Deque<Event> ready = new ArrayDeque<>();
        private final int pollers;
        private int running;

        FunctionQueue(FunctionSpec spec) {
            this.spec = spec;
            this.pollers = spec.reservedConcurrency() > 0 ? Math.min(spec.reservedConcurrency(), POLLERS) : POLLERS;
        }

        synchronized void add(Event event) {
            if (closed) {
                event.firstAttempt.completeExceptionally(new IllegalStateException("the Lambda service is closed"));
                return;
            }
            ready.addLast(event);
            drain();
        }

        private synchronized void finished() {
            running--;
            drain();
        }

        private void drain() {
            while (running < pollers && !ready.isEmpty()) {
                Event event = ready.pollFirst();
                running++;
                try {
                    runs.execute(() -> {
                        try {
                            attempt(event);
                        } finally {
                            finished();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    running--;
                    event.firstAttempt.completeExceptionally(e);
                }
            }
        }
    }

    /** One asynchronous invocation on its way through the queue; its counters change on one run at a time. */
    static final class Event {
        private final String requestId;
        private final FunctionQueue queue;
        private final byte[] payload;
        private final Instant enqueued;
        private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
        private volatile int invokeCount;
        private volatile int throttles;
        private volatile FunctionError lastError;
        private volatile FunctionError lastThrottle;

        private Event(String requestId, FunctionQueue queue, byte[] payload, Instant enqueued) {
            this.requestId = requestId;
            this.queue = queue;
            this.payload = payload;
            this.enqueued = enqueued;
        }
    }
}
