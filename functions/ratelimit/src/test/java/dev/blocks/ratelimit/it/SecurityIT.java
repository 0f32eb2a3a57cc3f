package dev.blocks.ratelimit.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on the rate-limit functions, tried through the local cloud's gateway as an outsider would, each asserted
 * refused with nothing changed: rule admin by a non-admin key, one tenant's check spending another's counter, and a
 * flood of made-up API keys, whose cost is read from DynamoDB's own request count (the cloud's DynamoDB endpoint
 * counts what it forwards to DynamoDB Local).
 */
class SecurityIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final String API_KEYS_TABLE = Cloud.PREFIX + "-api-keys";
    private static final String RULES_TABLE = Cloud.PREFIX + "-ratelimit-rules";
    /** BLOCKS_IDENTITY_UNKNOWN_KEY_LIMIT of the test stack: unknown-key lookups per client and function instance. */
    private static final int UNKNOWN_KEY_LIMIT = 20;
    /** The local cloud runs at most this many instances of a function, each with its own budget. */
    private static final int MAX_INSTANCES = 4;
    private static final Duration APPLIES_WITHIN = Duration.ofSeconds(5);
    /** Loopback addresses are distinct clients to the gateway: it reports the connection's source as sourceIp. */
    private static final String FLOODER = "127.0.0.2";
    private static final String NEIGHBOUR = "127.0.0.3";

    private static Api api;
    private static String admin;
    private static String tenantA;
    private static String tenantB;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        admin = api.issueKey(Cloud.ADMIN_OWNER);
        tenantA = api.issueKey("tenant-a");
        tenantB = api.issueKey("tenant-b");
    }

    @Test
    void ruleAdminByANonAdminKeyIs403AndWritesNothing() {
        String id = Api.unique("sec-admin");
        String path = "/v1/ratelimit/rules/" + id;
        String rule = "{\"algorithm\":\"gcra\",\"limit\":1,\"windowSeconds\":60}";
        long writesBefore = writes();

        HttpResponse<String> put = api.put(tenantA, path, rule);
        Api.problem(put, 403);
        assertThat(api.get(tenantA, path).statusCode()).isEqualTo(403);
        assertThat(api.delete(tenantA, path).statusCode()).isEqualTo(403);
        assertThat(writes()).as("no PutItem or DeleteItem reached the rules table").isEqualTo(writesBefore);
        assertThat(api.get(admin, path).statusCode()).as("nothing was written").isEqualTo(404);

        api.putRule(admin, id, rule);
        assertThat(api.delete(tenantB, path).statusCode()).isEqualTo(403);
        assertThat(api.put(tenantB, path, "{\"algorithm\":\"gcra\",\"limit\":1000,\"windowSeconds\":60}").statusCode())
                .isEqualTo(403);
        HttpResponse<String> kept = api.get(admin, path);
        assertThat(kept.statusCode()).as("the admin's rule is untouched").isEqualTo(200);
        assertThat(Api.json(kept).path("limit").asLong()).isEqualTo(1);
        assertThat(api.delete(admin, path).statusCode()).isEqualTo(204);
    }

    @Test
    void twoTenantsCheckingTheSameKeyNameHaveSeparateCounters() {
        String id = Api.unique("sec-tenants");
        // sliding_log: exact over any hour, so no window boundary can reset the counters mid-test.
        api.putRule(admin, id, "{\"algorithm\":\"sliding_log\",\"limit\":2,\"windowSeconds\":3600}");
        awaitRule(tenantA, id);

        // awaitRule spent one unit of tenant A's "probe" key, not of user-1.
        assertThat(api.check(tenantA, id, "user-1").statusCode()).isEqualTo(200);
        assertThat(api.check(tenantA, id, "user-1").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = api.check(tenantA, id, "user-1");
        assertThat(refused.statusCode()).isEqualTo(429);

        HttpResponse<String> other = api.check(tenantB, id, "user-1");
        assertThat(other.statusCode()).as("tenant B's user-1 is its own counter: " + other.body()).isEqualTo(200);
        assertThat(Api.json(other).path("remaining").asLong()).as("and shows nothing of tenant A's").isEqualTo(1);
        assertThat(api.check(tenantA, id, "user-1").statusCode()).as("tenant B spent nothing of A's").isEqualTo(429);
    }

    @Test
    void aSharedRuleSharesItsCountersBetweenTenants() {
        String id = Api.unique("sec-shared");
        HttpResponse<String> created = api.put(admin, "/v1/ratelimit/rules/" + id,
                "{\"algorithm\":\"sliding_log\",\"limit\":2,\"windowSeconds\":3600,\"shared\":true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Api.json(created).path("shared").asBoolean()).isTrue();
        awaitRule(tenantA, id);

        assertThat(api.check(tenantA, id, "user-1").statusCode()).isEqualTo(200);
        assertThat(api.check(tenantB, id, "user-1").statusCode()).isEqualTo(200);
        assertThat(api.check(tenantA, id, "user-1").statusCode()).isEqualTo(429);
        assertThat(api.check(tenantB, id, "user-1").statusCode()).isEqualTo(429);
    }

    @Test
    void aFloodOfMadeUpKeysFromOneAddressIsRefusedWithoutDynamoDbReads() {
        long readsBefore = keyReads();
        List<RawResponse> first = flood(0, 500);
        long readsAfterFirst = keyReads();
        List<RawResponse> second = flood(500, 1000);
        long readsAfterSecond = keyReads();

        List<Integer> statuses = new ArrayList<>();
        first.forEach(r -> statuses.add(r.status()));
        second.forEach(r -> statuses.add(r.status()));
        assertThat(statuses).as("every made-up key is refused").containsOnly(401, 429);
        long unauthorized = statuses.stream().filter(s -> s == 401).count();
        assertThat(unauthorized).as("one budget per warm instance, then 429")
                .isBetween((long) UNKNOWN_KEY_LIMIT, (long) UNKNOWN_KEY_LIMIT * MAX_INSTANCES);
        assertThat(statuses.get(0)).isEqualTo(401);

        assertThat(readsAfterFirst - readsBefore).as("a key lookup for each 401, none for a 429")
                .isEqualTo(first.stream().filter(r -> r.status() == 401).count());
        assertThat(second).extracting(RawResponse::status).as("the limit holds").containsOnly(429);
        assertThat(readsAfterSecond).as("the DynamoDB read count stays flat after the limit").isEqualTo(readsAfterFirst);

        RawResponse refused = second.get(second.size() - 1);
        assertThat(refused.headers()).containsEntry("content-type", "application/problem+json");
        assertThat(Long.parseLong(refused.headers().get("retry-after"))).isPositive();
        assertThat(Api.json(refused.body()).path("status").asInt()).isEqualTo(429);

        // Another client is served: its made-up key is looked up (401), its real key works, also a new one.
        long readsBeforeNeighbour = keyReads();
        assertThat(post(NEIGHBOUR, "bk_made_up_by_the_neighbour_000001").status()).isEqualTo(401);
        String fresh = api.issueKey("neighbour");
        RawResponse served = post(NEIGHBOUR, fresh);
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        assertThat(keyReads() - readsBeforeNeighbour).isEqualTo(2);
        assertThat(api.check(tenantA, Cloud.CONFIGURED_RULE, "after-the-flood").statusCode())
                .as("and so is 127.0.0.1").isEqualTo(200);
    }

    private static List<RawResponse> flood(int from, int to) {
        List<RawResponse> responses = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            responses.add(post(FLOODER, String.format(Locale.ROOT, "bk_made_up_key_%08d_xxxxxxxxxxxx", i)));
        }
        return responses;
    }

    private static void awaitRule(String apiKey, String id) {
        HttpResponse<String> applied = Api.pollUntil(APPLIES_WITHIN, () -> api.check(apiKey, id, "probe"),
                r -> r.statusCode() != 404);
        assertThat(applied.statusCode()).as("rule %s applies: %s", id, applied.body()).isEqualTo(200);
    }

    private static long keyReads() {
        return CLOUD.dynamoDbRequests(API_KEYS_TABLE, "GetItem");
    }

    private static long writes() {
        return CLOUD.dynamoDbRequests(RULES_TABLE, "PutItem") + CLOUD.dynamoDbRequests(RULES_TABLE, "DeleteItem");
    }

    /** One HTTP/1.1 response: status, lower-case headers, body. */
    record RawResponse(int status, Map<String, String> headers, String body) {}

    /**
     * {@code POST /v1/ratelimit/check} from a chosen loopback address (java.net.http cannot pick its source address
     * on Java 17): one connection per request, closed by the server after its answer.
     */
    private static RawResponse post(String sourceAddress, String apiKey) {
        URI gateway = CLOUD.gatewayUri("/v1/ratelimit/check");
        byte[] body = ("{\"rule\":\"" + Cloud.CONFIGURED_RULE + "\",\"key\":\"flood\"}").getBytes(StandardCharsets.UTF_8);
        String head = "POST " + gateway.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + gateway.getHost() + ":" + gateway.getPort() + "\r\n"
                + "X-Api-Key: " + apiKey + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(sourceAddress, 0));
            socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), 5_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("POST from " + sourceAddress + " failed", e);
        }
    }

    private static RawResponse parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP response: %s", text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new RawResponse(status, headers, body);
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
