package dev.blocks.kit.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.config.FunctionConfig;
import dev.blocks.kit.metrics.Metrics;
import jakarta.enterprise.inject.Instance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/** What the dispatcher tells a function about its invocation, and that none of it outlives the invocation. */
class InvocationContextTest {

    /** What the function saw while it ran. */
    record Seen(Invocation invocation, Object mdcRequestId, Object mdcFunction, Object mdcColdStart, long millisLeft) {}

    private final List<Seen> seen = new ArrayList<>();
    private final ByteArrayOutputStream metricLines = new ByteArrayOutputStream();
    private final Metrics metrics = new Metrics("blocks", "links-api", Duration.ZERO, new PrintStream(metricLines, true, StandardCharsets.UTF_8));

    private FunctionDispatcher dispatcher(Function<JsonNode, JsonNode> body) {
        LambdaFunction function = new LambdaFunction() {
            @Override
            public String name() {
                return "links-api";
            }

            @Override
            public JsonNode invoke(JsonNode event) {
                Invocation now = Invocation.current();
                seen.add(new Seen(now, MDC.get("requestId"), MDC.get("function"), MDC.get("coldStart"), now.millisLeft()));
                MDC.put("owner", "tenant-a");
                metrics.increment("test.invocations");
                return body.apply(event);
            }
        };
        @SuppressWarnings("unchecked")
        Instance<LambdaFunction> functions = (Instance<LambdaFunction>) Proxy.newProxyInstance(
                Instance.class.getClassLoader(), new Class<?>[] {Instance.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "select" -> proxy;
                    case "isResolvable" -> true;
                    case "get" -> function;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        FunctionConfig config = new FunctionConfig() {
            @Override
            public String function() {
                return "links-api";
            }

            @Override
            public String prefix() {
                return "blocks";
            }

            @Override
            public Duration stopMargin() {
                return Duration.ofMillis(1500);
            }
        };
        return new FunctionDispatcher(new ObjectMapper(), functions, config, metrics);
    }

    private static Context context(String requestId, int remainingMillis) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getRemainingTimeInMillis" -> remainingMillis;
                    default -> null;
                });
    }

    private static void invoke(FunctionDispatcher dispatcher, Context context) throws Exception {
        dispatcher.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), context);
    }

    @Test
    void theFunctionSeesItsRequestIdColdStartAndStopAndTheLogFieldsCarryThem() throws Exception {
        FunctionDispatcher dispatcher = dispatcher(event -> null);

        invoke(dispatcher, context("req-1", 10_000));
        invoke(dispatcher, context("req-2", 10_000));

        assertThat(seen).extracting(s -> s.invocation().requestId()).containsExactly("req-1", "req-2");
        assertThat(seen).extracting(s -> s.invocation().coldStart()).containsExactly(true, false);
        assertThat(seen).extracting(Seen::mdcRequestId).containsExactly("req-1", "req-2");
        assertThat(seen).extracting(Seen::mdcFunction).containsExactly("links-api", "links-api");
        assertThat(seen).extracting(Seen::mdcColdStart).containsExactly("true", "false");
        // 10 s left at the start, less the 1.5 s margin.
        assertThat(seen.get(0).millisLeft()).isBetween(7_000L, 8_500L);
    }

    @Test
    void nothingOfAnInvocationOutlivesIt() throws Exception {
        FunctionDispatcher failing = dispatcher(event -> {
            throw new IllegalStateException("boom");
        });

        assertThatThrownBy(() -> invoke(failing, context("req-3", 10_000))).hasMessage("boom");

        assertThat(Invocation.current().requestId()).isEmpty();
        assertThat(Invocation.current().millisLeft()).isEqualTo(Long.MAX_VALUE);
        assertThat(MDC.get("requestId")).isNull();
        assertThat(MDC.get("owner")).isNull();
        // What the failed invocation counted went out before it ended: nothing runs after the answer.
        assertThat(metricLines.toString(StandardCharsets.UTF_8)).contains("\"test.invocations\":1");
    }

    @Test
    void workOnAnotherThreadCarriesTheInvocation() throws Exception {
        Invocation invocation = new Invocation("req-4", "links-api", 123, false, () -> 100);
        Thread worker = new Thread(() -> {
            try {
                seen.add(Invocation.callWith(invocation,
                        () -> new Seen(Invocation.current(), MDC.get("requestId"), null, null, Invocation.current().millisLeft())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        worker.start();
        worker.join();

        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.invocation()).isSameAs(invocation);
            assertThat(s.mdcRequestId()).isEqualTo("req-4");
            assertThat(s.millisLeft()).isEqualTo(23);
        });
    }
}
