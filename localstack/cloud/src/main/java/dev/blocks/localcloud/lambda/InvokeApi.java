package dev.blocks.localcloud.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.http.Exchange;
import dev.blocks.localcloud.http.LoopbackServer;
import java.io.IOException;
import dev.blocks.localcloud.spec.FunctionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Lambda's Invoke operation ({@code POST /2015-03-31/functions/{FunctionName}/invocations}), ListFunctions
 * ({@code GET /2015-03-31/functions/}) and GetFunction ({@code GET /2015-03-31/functions/{FunctionName}}), so that
 * an AWS SDK {@code LambdaClient} or the AWS CLI pointed at this server lists, inspects and invokes local functions.
 */
public final class InvokeApi {

    private static final String PREFIX = "/2015-03-31/functions/";
    private static final String SUFFIX = "/invocations";
    private static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
    private static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;

    private final LambdaService lambda;

    private InvokeApi(LambdaService lambda) {
        this.lambda = lambda;
    }

    /** Serves the Invoke API on {@code server} (which the caller starts and closes). */
    public static void serve(LoopbackServer server, LambdaService lambda) {
        InvokeApi api = new InvokeApi(lambda);
        server.handle("/", api::handle);
    }

    private void handle(Exchange exchange) throws IOException {
        String path = exchange.uri().getPath();
        String requestId = UUID.randomUUID().toString();
        exchange.replyHeaders().set("x-amzn-RequestId", requestId);
        if (exchange.method().equals("GET") && (path.equals(PREFIX) || path.equals(PREFIX.substring(0, PREFIX.length() - 1)))) {
            listFunctions(exchange);
            return;
        }
        if (exchange.method().equals("GET") && path.startsWith(PREFIX) && path.indexOf('/', PREFIX.length()) < 0) {
            getFunction(exchange, functionName(path.substring(PREFIX.length())));
            return;
        }
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
            awsError(exchange, 404, "UnknownOperationException", "Unknown operation " + exchange.method() + " " + path);
            return;
        }
        if (!exchange.method().equals("POST")) {
            awsError(exchange, 405, "UnknownOperationException", "Invoke takes POST");
            return;
        }
        String functionName = functionName(path.substring(PREFIX.length(), path.length() - SUFFIX.length()));
        if (!lambda.has(functionName)) {
            awsError(exchange, 404, "ResourceNotFoundException",
                    "Function not found: " + lambda.settings().functionArn(functionName));
            return;
        }
        String invocationType = exchange.header("X-Amz-Invocation-Type");
        if (invocationType == null || invocationType.isBlank()) {
            invocationType = "RequestResponse";
        }
        switch (invocationType) {
            case "RequestResponse" -> requestResponse(exchange, functionName);
            case "Event" -> event(exchange, functionName);
            case "DryRun" -> exchange.reply(204, null, null);
            default -> awsError(exchange, 400, "InvalidParameterValueException",
                    "Unsupported invocation type " + invocationType);
        }
    }

    /** All functions on one page: a local cloud has a few dozen, so there is never a NextMarker. */
    private void listFunctions(Exchange exchange) throws IOException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode functions = body.putArray("Functions");
        lambda.functions().forEach(spec -> functions.add(configuration(spec)));
        body.putNull("NextMarker");
        exchange.replyJson(200, body);
    }

    private void getFunction(Exchange exchange, String functionName) throws IOException {
        Optional<FunctionSpec> found = lambda.functions().stream().filter(f -> f.name().equals(functionName)).findFirst();
        if (found.isEmpty()) {
            awsError(exchange, 404, "ResourceNotFoundException",
                    "Function not found: " + lambda.settings().functionArn(functionName));
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("Configuration", configuration(found.get()));
        // Where the code is: the zip it was deployed from (Lambda answers a presigned S3 URL here).
        body.putObject("Code").put("RepositoryType", "S3").put("Location", found.get().artifact().toUri().toString());
        exchange.replyJson(200, body);
    }

    /** A function's configuration in the shape Lambda's FunctionConfiguration has (the fields a local cloud knows). */
    private ObjectNode configuration(FunctionSpec spec) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("FunctionName", spec.name());
        out.put("FunctionArn", lambda.settings().functionArn(spec.name()));
        out.put("Runtime", spec.runtime());
        out.put("Handler", spec.handler());
        out.put("MemorySize", spec.memoryMb());
        out.put("Timeout", spec.timeoutSeconds());
        out.put("Version", "$LATEST");
        out.put("PackageType", "Zip");
        out.put("State", "Active");
        out.put("LastUpdateStatus", "Successful");
        try {
            out.put("CodeSize", Files.size(spec.artifact()));
        } catch (IOException e) {
            out.put("CodeSize", 0);
        }
        ObjectNode variables = out.putObject("Environment").putObject("Variables");
        spec.environment().forEach(variables::put);
        return out;
    }

    private void requestResponse(Exchange exchange, String functionName) throws IOException {
        byte[] payload = payload(exchange, MAX_SYNC_PAYLOAD);
        if (payload == null) {
            return;
        }
        String logType = exchange.header("X-Amz-Log-Type");
        boolean tail = "Tail".equals(logType);
        if (logType != null && !logType.isBlank() && !tail && !"None".equals(logType)) {
            awsError(exchange, 400, "InvalidParameterValueException", "Unsupported log type " + logType);
            return;
        }
        try {
            LambdaService.Invoked invoked = lambda.invokeWithLog(functionName, payload, clientContext(exchange));
            exchange.replyHeaders().set("X-Amz-Executed-Version", "$LATEST");
            if (tail && invoked.logTail() != null) {
                exchange.replyHeaders().set("X-Amz-Log-Result", invoked.logTail());
            }
            exchange.reply(200, "application/json", invoked.payload());
        } catch (FunctionInvoker.FunctionError e) {
            if (e.throttled()) {
                exchange.replyHeaders().set("x-amzn-ErrorType", FunctionInvoker.FunctionError.TOO_MANY_REQUESTS);
                exchange.reply(429, "application/json", e.payload());
                return;
            }
            // A function error is still a successful Invoke call: the error document is the payload.
            exchange.replyHeaders().set("X-Amz-Executed-Version", "$LATEST");
            exchange.replyHeaders().set("X-Amz-Function-Error", "Unhandled");
            if (tail && e.logTail() != null) {
                exchange.replyHeaders().set("X-Amz-Log-Result", e.logTail());
            }
            exchange.reply(200, "application/json", e.payload());
        }
    }

    private void event(Exchange exchange, String functionName) throws IOException {
        byte[] payload = payload(exchange, MAX_ASYNC_PAYLOAD);
        if (payload == null) {
            return;
        }
        // Accepted once queued: the answer names the request id that the invocation's records will carry.
        FunctionInvoker.Queued queued = lambda.invokeAsync(functionName, payload);
        exchange.replyHeaders().set("x-amzn-RequestId", queued.requestId());
        exchange.reply(202, null, null);
    }

    private static byte[] payload(Exchange exchange, int limit) throws IOException {
        try {
            byte[] payload = exchange.body(limit);
            // Lambda hands an empty payload to the function as an empty JSON object.
            return payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload;
        } catch (Exchange.PayloadTooLarge e) {
            awsError(exchange, 413, "RequestTooLargeException",
                    "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
            return null;
        }
    }

    /** The SDK sends the client context base64-encoded; the runtime receives the JSON itself. */
    private static String clientContext(Exchange exchange) {
        String encoded = exchange.header("X-Amz-Client-Context");
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The function name from a name, a partial ARN ({@code 123456789012:function:name}), a full ARN or any of
     * these with a {@code :qualifier}; only $LATEST exists locally, so the qualifier is ignored.
     */
    static String functionName(String nameOrArn) {
        String[] parts = nameOrArn.split(":");
        if (nameOrArn.startsWith("arn:") && parts.length >= 7) {
            return parts[6];
        }
        if (parts.length >= 3 && parts[1].equals("function")) {
            return parts[2];
        }
        return parts[0];
    }

    private static void awsError(Exchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Type", "User");
        body.put("message", message);
        exchange.replyHeaders().set("x-amzn-ErrorType", type);
        exchange.replyJson(status, body);
    }
}
