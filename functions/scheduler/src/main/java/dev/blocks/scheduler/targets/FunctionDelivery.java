package dev.blocks.scheduler.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.scheduler.domain.Target;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Lambda targets: a synchronous Invoke of a function on the deployment's allow-list (never one of this stack;
 * {@link Targets} checks it again before every call), so its error is the run's failure. The
 * event is the payload itself (as EventBridge Scheduler sends its input); the run's identity travels in the client
 * context ({@code context.getClientContext().getCustom()}).
 */
public final class FunctionDelivery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaClient lambda;

    public FunctionDelivery(LambdaClient lambda) {
        this.lambda = lambda;
    }

    void deliver(Target.Function target, Delivery delivery) throws DeliveryFailed {
        ObjectNode context = JSON.createObjectNode();
        context.putObject("custom").put("idempotencyKey", delivery.idempotencyKey()).put("jobId", delivery.jobId())
                .put("scheduledAt", delivery.scheduledAt().toString()).put("attempt", Integer.toString(delivery.attempt()));
        InvokeResponse response;
        try {
            response = lambda.invoke(b -> b.functionName(target.function()).invocationType(InvocationType.REQUEST_RESPONSE)
                    .clientContext(Base64.getEncoder().encodeToString(context.toString().getBytes(StandardCharsets.UTF_8)))
                    .payload(SdkBytes.fromUtf8String(delivery.payload())));
        } catch (SdkException e) {
            throw new DeliveryFailed("Lambda " + target.function() + ": " + e.getMessage(), e);
        }
        if (response.functionError() != null) {
            String body = response.payload() == null ? "" : response.payload().asUtf8String();
            throw new DeliveryFailed("Lambda " + target.function() + " failed (" + response.functionError() + "): "
                    + (body.length() > 500 ? body.substring(0, 500) : body));
        }
    }
}
