package dev.blocks.localcloud.lambda;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.blocks.localcloud.http.Exchange;
import dev.blocks.localcloud.http.LoopbackServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda Runtime API (2018-06-01) for one function instance, on its own loopback port: the runtime long-polls
 * {@code /invocation/next}, then posts the response or the error of that invocation.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    /** Lambda's limit for a synchronous response. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    private static final int MAX_ERROR_BYTES = 1024 * 1024;

    /** What the server asks of the instance it serves. */
    interface Runtime {
        /** Blocks until an invocation is handed to this instance; null when the instance is going away. */
        Invocation next() throws InterruptedException;

        /** False when {@code requestId} is not the invocation this instance is running. */
        boolean respond(String requestId, byte[] response);

        boolean fail(String requestId, String errorType, byte[] errorDocument);

        void initFailed(String errorType, byte[] errorDocument);
    }

    private final LoopbackServer server;
    private final String functionArn;
    private final Runtime runtime;

    RuntimeApiServer(String name, String functionArn, Runtime runtime) throws IOException {
        this.server = new LoopbackServer(name + "-runtime", 0);
        this.functionArn = functionArn;
        this.runtime = runtime;
        server.handle(PREFIX, this::serve);
        server.start();
    }

    /** {@code host:port}, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.port();
    }

    private void serve(Exchange exchange) throws Exception {
        String path = exchange.uri().getPath().substring(PREFIX.length());
        String method = exchange.method();
        if (method.equals("GET") && path.equals("invocation/next")) {
            next(exchange);
        } else if (method.equals("POST") && path.equals("init/error")) {
            runtime.initFailed(errorType(exchange), exchange.body(MAX_ERROR_BYTES));
            accepted(exchange);
        } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
            String requestId = path.substring("invocation/".length(), path.length() - "/response".length());
            response(exchange, requestId);
        } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
            String requestId = path.substring("invocation/".length(), path.length() - "/error".length());
            if (runtime.fail(requestId, errorType(exchange), exchange.body(MAX_ERROR_BYTES))) {
                accepted(exchange);
            } else {
                unknownRequest(exchange, requestId);
            }
        } else {
            exchange.replyJson(404, error("InvalidRequest", "no such Runtime API resource: " + method + " " + path));
        }
    }

    private void next(Exchange exchange) throws Exception {
        Invocation invocation = runtime.next();
        if (invocation == null) {
            exchange.replyJson(410, error("InstanceStopping", "this function instance is shutting down"));
            return;
        }
        var headers = exchange.replyHeaders();
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        // The RIC's native client dereferences this header unconditionally: without it the runtime JVM crashes.
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        if (invocation.clientContext() != null) {
            headers.set("Lambda-Runtime-Client-Context", invocation.clientContext());
        }
        if (invocation.cognitoIdentity() != null) {
            headers.set("Lambda-Runtime-Cognito-Identity", invocation.cognitoIdentity());
        }
        exchange.reply(200, "application/json", invocation.payload());
    }

    private void response(Exchange exchange, String requestId) throws IOException {
        byte[] body;
        try {
            body = exchange.body(MAX_RESPONSE_BYTES);
        } catch (Exchange.PayloadTooLarge e) {
            String document = error("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).");
            runtime.fail(requestId, "Function.ResponseSizeTooLarge", document.getBytes(StandardCharsets.UTF_8));
            exchange.replyJson(413, document);
            return;
        }
        if (runtime.respond(requestId, body)) {
            accepted(exchange);
        } else {
            unknownRequest(exchange, requestId);
        }
    }

    private static String errorType(Exchange exchange) {
        String type = exchange.header("Lambda-Runtime-Function-Error-Type");
        return type == null || type.isBlank() ? "Unhandled" : type;
    }

    private static void accepted(Exchange exchange) throws IOException {
        exchange.replyJson(202, "{\"status\":\"OK\"}");
    }

    private static void unknownRequest(Exchange exchange, String requestId) throws IOException {
        exchange.replyJson(400, error("InvalidRequestID", "no invocation " + requestId + " is running here"));
    }

    static String error(String type, String message) {
        return JsonNodeFactory.instance.objectNode().put("errorType", type).put("errorMessage", message).toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
