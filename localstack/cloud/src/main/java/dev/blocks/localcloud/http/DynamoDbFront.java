package dev.blocks.localcloud.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP front for DynamoDB that counts what it forwards: every request goes unchanged to the real DynamoDB
 * (DynamoDB Local, or LocalStack's) and its answer comes back unchanged, and the front counts requests per table
 * and operation ({@code X-Amz-Target}, e.g. {@code DynamoDB_20120810.GetItem} counts as {@code GetItem}). The
 * functions and the cloud's own clients use it as their DynamoDB endpoint, so tests can assert how many reads a
 * scenario cost (a read count that stays flat under a flood) from what the emulator was actually asked.
 *
 * <p>The table is {@code TableName} of the request, or each table of {@code RequestItems} (batch operations), or
 * {@code -} for operations on no table (ListTables). Signatures are forwarded as they are: neither emulator
 * checks the Host a request was signed for.
 */
public final class DynamoDbFront {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** DynamoDB's own limit on a request is 16 MB (BatchWriteItem); nothing bigger is a DynamoDB request. */
    private static final long MAX_BODY = 16L * 1024 * 1024 + 64 * 1024;
    /** Set by the HTTP client itself, or meaningful only for one hop. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    private DynamoDbFront(String target) {
        this.target = URI.create(target.endsWith("/") ? target.substring(0, target.length() - 1) : target);
    }

    /** Serves the front on {@code server}, forwarding to {@code target} (an http URL without a path). */
    public static DynamoDbFront serve(LoopbackServer server, String target) {
        DynamoDbFront front = new DynamoDbFront(target);
        server.handle("/", front::forward);
        return front;
    }

    /** Requests forwarded so far: table → operation → count, both sorted by name. */
    public Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        counts.forEach((table, operations) -> {
            Map<String, Long> byOperation = new TreeMap<>();
            operations.forEach((operation, count) -> byOperation.put(operation, count.sum()));
            copy.put(table, byOperation);
        });
        return copy;
    }

    private void forward(Exchange exchange) throws IOException, InterruptedException {
        byte[] body = exchange.body(MAX_BODY);
        count(exchange.header("X-Amz-Target"), body);
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.uri().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.headers().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // DynamoDB is stopped (a fault test) or gone: the client sees a server error it may retry, as it would
            // see a refused connection.
            exchange.replyJson(502, Map.of("__type", "com.amazonaws.dynamodb#ServiceUnavailable",
                    "message", "DynamoDB is not reachable: " + e));
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.replyHeaders().put(name, List.copyOf(values));
            }
        });
        exchange.reply(response.statusCode(), null, response.body());
    }

    private void count(String amzTarget, byte[] body) {
        String operation = amzTarget == null ? "-" : amzTarget.substring(amzTarget.indexOf('.') + 1);
        JsonNode json = null;
        try {
            json = body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            // not JSON: counted under no table
        }
        if (json != null && json.hasNonNull("TableName")) {
            increment(json.get("TableName").asText(), operation);
        } else if (json != null && json.path("RequestItems").isObject() && !json.path("RequestItems").isEmpty()) {
            json.path("RequestItems").fieldNames().forEachRemaining(table -> increment(table, operation));
        } else {
            increment("-", operation);
        }
    }

    private void increment(String table, String operation) {
        counts.computeIfAbsent(table, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(operation, o -> new LongAdder()).increment();
    }
}
