package dev.blocks.kit.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.config.FunctionConfig;
import dev.blocks.kit.metrics.Metrics;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The single Lambda handler of every artifact: picks the {@link LambdaFunction} named by {@code BLOCKS_FUNCTION}
 * and gives it the event. One artifact per capability keeps builds (and native images) few, while each role
 * remains its own Lambda function with its own trigger, IAM role and scaling.
 */
@Named("dispatch")
public class FunctionDispatcher implements RequestStreamHandler {

    /** Cleared by the first invocation: Lambda creates the handler once per execution environment. */
    private final AtomicBoolean firstInvocation = new AtomicBoolean(true);

    private final ObjectMapper json;
    private final LambdaFunction function;
    private final String role;
    private final long stopMarginMillis;
    private final Metrics metrics;

    @Inject
    FunctionDispatcher(ObjectMapper json, Instance<LambdaFunction> functions, FunctionConfig config, Metrics metrics) {
        this.json = json;
        this.metrics = metrics;
        this.function = select(functions, config.function());
        this.role = config.function();
        this.stopMarginMillis = config.stopMargin().toMillis();
    }

    /**
     * The function of {@code role}. A function bean named by its role ({@code @Named}) is taken without creating
     * the others, so a role's cold start builds only what that role needs; a bean without the qualifier is found
     * by asking every function its name, which creates them all.
     */
    static LambdaFunction select(Instance<LambdaFunction> functions, String role) {
        Instance<LambdaFunction> named = functions.select(NamedLiteral.of(role));
        LambdaFunction found = named.isResolvable()
                ? named.get()
                : functions.stream().filter(f -> f.name().equals(role)).findFirst().orElse(null);
        if (found == null || !found.name().equals(role)) {
            throw new IllegalStateException("BLOCKS_FUNCTION=" + role + " names no function; this artifact has "
                    + functions.stream().map(LambdaFunction::name).sorted().collect(Collectors.joining(", ")));
        }
        return found;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocation.enter(invocationOf(context));
        try {
            JsonNode event = json.readTree(input);
            JsonNode result;
            try {
                result = function.invoke(event == null ? json.nullNode() : event);
            } catch (RuntimeException | IOException e) {
                throw e;
            } catch (Exception e) {
                throw new FunctionFailure(e);
            }
            json.writeValue(output, result == null ? json.nullNode() : result);
        } finally {
            // Before the answer leaves: once it has, Lambda may freeze the environment for good.
            metrics.flushIfDue();
            Invocation.leave();
        }
    }

    /** This invocation's id, and its stop: Lambda's deadline less the margin (none without a context). */
    Invocation invocationOf(Context context) {
        boolean coldStart = firstInvocation.getAndSet(false);
        if (context == null) {
            return new Invocation("", role, Long.MAX_VALUE, coldStart, System::currentTimeMillis);
        }
        long stopAt = System.currentTimeMillis() + context.getRemainingTimeInMillis() - stopMarginMillis;
        return new Invocation(context.getAwsRequestId(), role, stopAt, coldStart, System::currentTimeMillis);
    }

    /** A checked failure of a function, reported to Lambda as an invocation error. */
    static final class FunctionFailure extends RuntimeException {
        FunctionFailure(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
