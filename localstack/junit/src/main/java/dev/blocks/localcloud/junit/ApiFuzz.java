package dev.blocks.localcloud.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Hostile input for property-based tests of an HTTP API (jqwik), and the verdict every answer must meet: a 2xx or
 * 3xx, or a 4xx {@code application/problem+json} whose {@code status} is the HTTP status — never a 5xx.
 *
 * <p>Bodies are built as text, not through a JSON writer, so that they can hold what no writer produces: duplicate
 * keys, numbers past any type's range, truncated documents. Most of their keys are the route's own field names, so
 * hostile values reach the code that reads those fields rather than stopping at the first unknown name.
 *
 * <p>How many inputs a property gets is jqwik's {@code tries}: CI runs the modules' short default, and by hand
 * {@code -Djqwik.tries.default=5000} runs a long one (JUnit takes configuration parameters from system properties).
 */
public final class ApiFuzz {

    private static final ObjectMapper JSON = CloudClient.JSON;
    private static final HttpClient HTTP = CloudClient.HTTP;
    private static final Map<String, Map<String, LongAdder>> TALLY = new ConcurrentHashMap<>();
    // Made once: a 1 MiB value (past every body limit here) and one of 140 KB of two-byte characters.
    private static final List<String> HUGE_STRINGS = List.of(quote("x".repeat(1 << 20)), quote("é".repeat(70_000)));

    private ApiFuzz() {}

    /** Request bodies: mostly JSON objects over {@code fieldNames} (nested ones too), sometimes anything else. */
    public static Arbitrary<String> bodies(String... fieldNames) {
        // Drawn by hand from jqwik's seeded random rather than composed from recursive arbitraries: nested lazy
        // arbitraries are slow to draw and to shrink, and a failing body is short enough to read without shrinking.
        List<String> names = List.of(fieldNames.length == 0 ? new String[] {"id"} : fieldNames);
        return Arbitraries.randomValue(random -> new Body(random, names).draw());
    }

    /**
     * Valid bodies with one thing wrong: a value anywhere in them (nested ones and array items too) replaced by a
     * hostile one, removed, or given a duplicate key or an unknown sibling. Hostile values reach the code that
     * reads one field while every other field is right, which bodies made from nothing seldom achieve: they
     * usually fail on the first field checked.
     */
    public static Arbitrary<String> mutationsOf(String... validBodies) {
        List<JsonNode> seeds = new ArrayList<>();
        for (String body : validBodies) {
            try {
                seeds.add(JSON.readTree(body));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a valid body: " + body, e);
            }
        }
        return Arbitraries.randomValue(random -> {
            JsonNode seed = seeds.get(random.nextInt(seeds.size()));
            List<String> names = new ArrayList<>();
            collectNames(seed, names);
            return new Mutation(random, new Body(random, names.isEmpty() ? List.of("id") : names)).draw(seed);
        });
    }

    private static void collectNames(JsonNode node, List<String> names) {
        node.fields().forEachRemaining(field -> {
            names.add(field.getKey());
            collectNames(field.getValue(), names);
        });
        if (node.isArray()) {
            node.forEach(item -> collectNames(item, names));
        }
    }

    /** One valid body written back with one slot (a field or an array item) changed. */
    private static final class Mutation {

        private final Random random;
        private final Body hostile;
        private int target;
        private int slot;
        private int action;

        Mutation(Random random, Body hostile) {
            this.random = random;
            this.hostile = hostile;
        }

        String draw(JsonNode seed) {
            int slots = slots(seed);
            if (slots == 0) {
                return hostile.draw();
            }
            target = random.nextInt(slots);
            action = random.nextInt(5);
            slot = 0;
            return write(seed);
        }

        private static int slots(JsonNode node) {
            int count = 0;
            for (JsonNode child : node) {
                count += 1 + slots(child);
            }
            return count;
        }

        private String write(JsonNode node) {
            if (node.isObject()) {
                List<String> entries = new ArrayList<>();
                node.fields().forEachRemaining(field -> {
                    String key = quote(field.getKey());
                    if (slot++ != target) {
                        entries.add(key + ":" + write(field.getValue()));
                        return;
                    }
                    switch (action) {
                        case 0, 1 -> entries.add(key + ":" + hostile.value(1)); // the common case, twice as likely
                        case 2 -> { } // left out
                        case 3 -> {
                            entries.add(key + ":" + write(field.getValue()));
                            entries.add(key + ":" + hostile.scalar()); // the same key again
                        }
                        default -> {
                            entries.add(key + ":" + write(field.getValue()));
                            entries.add(quote(hostile.key() + "x") + ":" + hostile.value(1)); // an unknown sibling
                        }
                    }
                });
                return "{" + String.join(",", entries) + "}";
            }
            if (node.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : node) {
                    if (slot++ != target) {
                        items.add(write(item));
                    } else if (action != 2) {
                        items.add(hostile.value(1));
                    }
                }
                return "[" + String.join(",", items) + "]";
            }
            return node.toString();
        }
    }

    /** Path segments for a route's parameters: ids of the right look, and what a scanner would try. */
    public static Arbitrary<String> pathSegments() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40),
                Arbitraries.of("..", "%2e%2e", "%00", "%ff", "a%2Fb", "%E2%80%AE", "null", "-1", "0", "undefined",
                        "x".repeat(2000), "%F0%9F%98%80", "..%2F..%2Fetc%2Fpasswd", "%25", "a;b", "AAAA%0d%0aX: y"),
                strings(60).filter(s -> !s.isEmpty()).map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)))
                // a client cannot even put a raw space in a request line
                .map(segment -> segment.replace(" ", "%20"));
    }

    /** Extra request headers: wrong content types, odd encodings, forged forwarding and oversized values. */
    public static Arbitrary<Map<String, String>> headers() {
        Arbitrary<String> name = Arbitraries.of("content-type", "accept", "x-forwarded-for", "idempotency-key",
                "content-encoding", "x-request-id", "origin", "referer", "user-agent");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("application/json", "application/json; charset=utf-16", "text/plain", "*/*",
                        "application/problem+json", "gzip", "1.2.3.4, 10.0.0.1", "::1", "", " ",
                        "application/x-www-form-urlencoded"),
                Arbitraries.strings().ascii().ofMaxLength(200).map(s -> s.replaceAll("[\\x00-\\x1f\\x7f]", "")),
                Arbitraries.strings().withChars('a', 'z').ofLength(8000));
        return Arbitraries.maps(name, value).ofMaxSize(3);
    }

    /**
     * Sends one request as a client would, following no redirect; {@code body} null sends none, and a body goes as
     * {@code application/json} unless {@code headers} name another type.
     */
    public static HttpResponse<String> send(String method, URI uri, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        headers.forEach(request::setHeader);
        if (body != null && headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("content-type"))) {
            request.setHeader("content-type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts the verdict on one answer of {@code api} and counts it: no 5xx; a 4xx is a problem document naming its
     * own status. Answers the parsed body of a 2xx (null when it has none).
     */
    public static JsonNode check(String api, HttpResponse<String> response) {
        return check(api, response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                response.body());
    }

    /** {@link #check(String, HttpResponse)} for an answer read some other way (off a raw socket, say). */
    public static JsonNode check(String api, int status, String contentType, String body) {
        TALLY.computeIfAbsent(api, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(status / 100 + "xx", s -> new LongAdder()).increment();
        if (status >= 500 || status < 200) {
            throw new AssertionError(api + " answered " + status + ": " + excerpt(body));
        }
        if (status >= 400) {
            if (!contentType.startsWith("application/problem+json")) {
                throw new AssertionError(api + " answered " + status + " as " + contentType + ", not a problem: "
                        + excerpt(body));
            }
            JsonNode problem = parse(api, body);
            if (problem.path("status").asInt() != status) {
                throw new AssertionError(api + " answered " + status + " with a problem saying "
                        + problem.path("status") + ": " + excerpt(body));
            }
            return null;
        }
        // a redirect's body is the gateway's or nothing: only the status and Location matter
        return status >= 300 || body == null || body.isBlank() ? null : parse(api, body);
    }

    /** One line per API: how many inputs it was given and how it answered. Call once, after the properties. */
    public static String report() {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(TALLY).forEach((api, counts) -> {
            long total = counts.values().stream().mapToLong(LongAdder::sum).sum();
            StringBuilder line = new StringBuilder("[fuzz] " + api + ": " + total + " inputs");
            new TreeMap<>(counts).forEach((kind, n) -> line.append(", ").append(kind).append(' ').append(n.sum()));
            lines.add(line.toString());
        });
        return String.join(System.lineSeparator(), lines);
    }

    private static Arbitrary<String> strings(int maxLength) {
        return Arbitraries.strings().all().ofMaxLength(maxLength);
    }

    /** One body, drawn from {@code random}. */
    private static final class Body {

        private static final List<String> ODD_KEYS = List.of("", "__proto__", "constructor", "a.b", "$where", "\u0000");
        private static final List<String> WORDS = List.of("https://example.com/a", "http://127.0.0.1/",
                "2030-01-01T00:00:00Z", "cron(0 * * * ? *)", "rate(1 minute)", "PT1S", "application/json", "sha256",
                "*", "a.*", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "");
        private static final List<String> NUMBERS = List.of("0", "-1", "1", "3", "1.5", "-0", "1e309", "-1e309",
                "9223372036854775807", "9223372036854775808", "123456789012345678901234567890", "1e-400",
                "2147483648", "0.0000001", "100000000000");
        private static final List<String> ODD_VALUES = List.of("true", "false", "null", "[]", "{}", "[null]",
                "\"\\u0000\"", "\"\\ud800\"", "\"\\u202e\"");
        private static final List<String> NON_OBJECTS = List.of("", " ", "null", "[]", "[{}]", "\"text\"", "42", "true",
                "{", "}", "{\"a\"}", "{'a':1}", "{\"a\":1,}", "\uFEFF{}", "{\"a\":NaN}", "{\"a\":Infinity}",
                "/* */{}", "{\"a\":01}");

        private final Random random;
        private final List<String> names;

        Body(Random random, List<String> names) {
            this.random = random;
            this.names = names;
        }

        String draw() {
            int kind = random.nextInt(17);
            if (kind == 0) {
                return pick(NON_OBJECTS);
            }
            if (kind == 1) {
                String object = object(2);
                return object.substring(0, object.length() / 2);
            }
            if (kind == 2) {
                String key = quote(key());
                String rest = object(0);
                return "{" + key + ":" + scalar() + "," + key + ":" + scalar() + (rest.length() > 2 ? "," + rest.substring(1) : "}");
            }
            return object(2);
        }

        private String object(int depth) {
            Map<String, String> entries = new LinkedHashMap<>();
            int size = random.nextInt(7);
            for (int i = 0; i < size; i++) {
                entries.putIfAbsent(key(), value(depth));
            }
            return ApiFuzz.object(entries);
        }

        private String value(int depth) {
            int kind = depth == 0 ? 0 : random.nextInt(8);
            if (kind == 6) {
                return object(depth - 1);
            }
            if (kind == 7) {
                List<String> items = new ArrayList<>();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    items.add(random.nextBoolean() ? scalar() : object(depth - 1));
                }
                return "[" + String.join(",", items) + "]";
            }
            return scalar();
        }

        private String key() {
            int kind = random.nextInt(10);
            return kind < 7 ? pick(names) : kind < 9 ? text(20) : pick(ODD_KEYS);
        }

        private String scalar() {
            int kind = random.nextInt(14);
            if (kind == 13 && random.nextInt(5) != 0) {
                kind = 0; // a huge value in about one scalar of 70: most bodies should get past the size check
            }
            if (kind < 5) {
                return quote(text(40));
            }
            if (kind < 7) {
                return quote(pick(WORDS));
            }
            if (kind < 10) {
                return pick(NUMBERS);
            }
            if (kind < 12) {
                return pick(ODD_VALUES);
            }
            if (kind < 13) {
                int depth = 100 + random.nextInt(2900);
                return "[".repeat(depth) + "]".repeat(depth);
            }
            return pick(HUGE_STRINGS);
        }

        /** Any code points (a lone surrogate too, as a careless client sends one), up to {@code maxLength}. */
        private String text(int maxLength) {
            StringBuilder out = new StringBuilder();
            int length = random.nextInt(maxLength + 1);
            for (int i = 0; i < length; i++) {
                int range = random.nextInt(4);
                out.append((char) (range == 0 ? 0x20 + random.nextInt(0x5f)
                        : range == 1 ? random.nextInt(0x100)
                        : range == 2 ? 0xd800 + random.nextInt(0x800)
                        : random.nextInt(0x10000)));
            }
            return out.toString();
        }

        private String pick(List<String> choices) {
            return choices.get(random.nextInt(choices.size()));
        }
    }

    private static String object(Map<String, String> entries) {
        StringBuilder out = new StringBuilder("{");
        entries.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
        return out.append('}').toString();
    }

    /** A JSON string literal; lone surrogates are left in, as a careless client would send them. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static JsonNode parse(String api, String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(api + " answered a body that is not JSON: " + excerpt(body), e);
        }
    }

    private static String excerpt(String body) {
        return body == null ? "" : body.length() <= 500 ? body : body.substring(0, 500) + "…";
    }
}
