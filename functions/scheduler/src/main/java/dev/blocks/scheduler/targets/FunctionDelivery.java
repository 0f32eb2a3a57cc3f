package dev.blocks.scheduler.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.scheduler.domain.FunctionWait;
import dev.blocks.scheduler.domain.Target;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Lambda targets: a synchronous Invoke of a function on the deployment's allow-list (never one of this stack;
 * {@link Targets} checks it again before every call), so its error is the run's failure. The event is the payload
 * itself (as EventBridge Scheduler sends its input); the run's identity travels in the client context
 * ({@code context.getClientContext().getCustom()}; Lambda passes a client context to synchronous invocations only,
 * one reason this stays synchronous). The call waits as long as the function may run ({@link FunctionWait}: its
 * configured timeout, read with GetFunction and kept for {@link #CONFIG_TTL}, plus a grace), not the HTTP targets'
 * deadline, so a slow function is neither abandoned nor invoked again while it still runs.
 */
public final class FunctionDelivery {

    /** How long a function's configured timeout is trusted before it is read again (a redeploy may change it). */
    static final Duration CONFIG_TTL = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Configured(Duration timeout, Instant readAt) {}

    private final LambdaClient lambda;
    private final FunctionWait wait;
    private final Clock clock;
    private final Map<String, Configured> timeouts = new ConcurrentHashMap<>();

    public FunctionDelivery(LambdaClient lambda, FunctionWait wait, Clock clock) {
        this.lambda = lambda;
        this.wait = wait;
        this.clock = clock;
    }

    void deliver(Target.Function target, Delivery delivery) throws DeliveryFailed {
        Duration functionTimeout = timeout(target.function());
        Duration waitFor = wait.forTimeout(functionTimeout).orElseThrow(() -> new DeliveryFailed("Lambda " + target.function()
                + " may run " + functionTimeout.toSeconds() + " s, longer than a worker's attempt can wait for it ("
                + wait.budget().minus(wait.grace()).toSeconds() + " s): lower its timeout or raise blocks.scheduler.run-lease"));
        ObjectNode context = JSON.createObjectNode();
        context.putObject("custom").put("idempotencyKey", delivery.idempotencyKey()).put("jobId", delivery.jobId())
                .put("scheduledAt", delivery.scheduledAt().toString()).put("attempt", Integer.toString(delivery.attempt()));
        InvokeResponse response;
        try {
            response = lambda.invoke(b -> b.functionName(target.function()).invocationType(InvocationType.REQUEST_RESPONSE)
                    .clientContext(Base64.getEncoder().encodeToString(context.toString().getBytes(StandardCharsets.UTF_8)))
                    .payload(SdkBytes.fromUtf8String(delivery.payload()))
                    .overrideConfiguration(c -> c.apiCallTimeout(waitFor).apiCallAttemptTimeout(waitFor)));
        } catch (SdkException e) {
            throw new DeliveryFailed("Lambda " + target.function() + ": " + e.getMessage(), e);
        }
        if (response.functionError() != null) {
            String body = response.payload() == null ? "" : response.payload().asUtf8String();
            throw new DeliveryFailed("Lambda " + target.function() + " failed (" + response.functionError() + "): "
                    + (body.length() > 500 ? body.substring(0, 500) : body));
        }
    }

    /** The function's configured timeout, from the cache while it is fresh. */
    private Duration timeout(String function) throws DeliveryFailed {
        Instant now = clock.instant();
        Configured known = timeouts.get(function);
        if (known != null && known.readAt().plus(CONFIG_TTL).isAfter(now)) {
            return known.timeout();
        }
        Integer seconds;
        try {
            seconds = lambda.getFunction(b -> b.functionName(function)).configuration().timeout();
        } catch (SdkException e) {
            throw new DeliveryFailed("Lambda " + function + ": its configuration could not be read: " + e.getMessage(), e);
        }
        // Lambda's default timeout when none is reported.
        Duration timeout = Duration.ofSeconds(seconds == null ? 3 : seconds);
        timeouts.put(function, new Configured(timeout, now));
        return timeout;
    }
}
