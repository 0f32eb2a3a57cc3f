package dev.blocks.shortener.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** The shortener as a client sees it: the HTTP API of the local cloud's gateway, plus the API-key admin command. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    // Redirects are what is under test: never follow them.
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalCloudExtension cloud;

    Api(LocalCloudExtension cloud) {
        this.cloud = cloud;
    }

    /** A new API key for {@code owner}, issued by the kit's admin function through the Invoke API. */
    String issueKey(String owner) {
        Endpoints endpoints = cloud.endpoints();
        try (LambdaClient lambda = LambdaClient.builder()
                .endpointOverride(URI.create(endpoints.lambda()))
                .region(Region.of(endpoints.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey())))
                .build()) {
            InvokeResponse response = lambda.invoke(b -> b.functionName(Cloud.PREFIX + "-api-keys")
                    .payload(SdkBytes.fromUtf8String("{\"action\":\"create\",\"owner\":\"" + owner + "\"}")));
            if (response.functionError() != null) {
                throw new IllegalStateException("api-keys failed: " + response.payload().asUtf8String());
            }
            return JSON.readTree(response.payload().asUtf8String()).path("apiKey").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> create(String apiKey, String json) {
        return send(HttpRequest.newBuilder(cloud.gatewayUri("/v1/links")).header("x-api-key", apiKey)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Creates a link and returns its JSON, failing unless the answer is 201. */
    JsonNode created(String apiKey, String json) {
        HttpResponse<String> response = create(apiKey, json);
        if (response.statusCode() != 201) {
            throw new AssertionError("expected 201, got " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    HttpResponse<String> get(String apiKey, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cloud.gatewayUri(path)).GET();
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return send(request);
    }

    HttpResponse<String> delete(String apiKey, String path) {
        return send(HttpRequest.newBuilder(cloud.gatewayUri(path)).header("x-api-key", apiKey).DELETE());
    }

    HttpResponse<String> redirect(String code) {
        return send(HttpRequest.newBuilder(cloud.gatewayUri("/" + code)).GET());
    }

    /**
     * A redirect request sent from a chosen loopback address (127.0.0.0/8 is all loopback on Linux), so that the
     * gateway sees distinct client IPs, as it would for distinct visitors. Returns the status code.
     */
    int visitFrom(String clientIp, String code, String referer) {
        return sendFrom(clientIp, "GET", "/" + code, referer == null ? "" : "Referer: " + referer + "\r\n", "").status();
    }

    /** A redirect request sent from a chosen loopback address (see {@link #visitFrom}), with the whole answer. */
    RawAnswer redirectFrom(String clientIp, String code) {
        return sendFrom(clientIp, "GET", "/" + code, "", "");
    }

    /** A link creation sent from a chosen loopback address (see {@link #visitFrom}). */
    RawAnswer createFrom(String clientIp, String apiKey, String json) {
        return sendFrom(clientIp, "POST", "/v1/links", "X-Api-Key: " + apiKey + "\r\nContent-Type: application/json\r\n", json);
    }

    /** An answer read off the wire: status, headers (names in lower case) and body. */
    record RawAnswer(int status, Map<String, String> headers, String body) {}

    private RawAnswer sendFrom(String clientIp, String method, String path, String headers, String body) {
        URI uri = cloud.gatewayUri(path);
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort(), InetAddress.getByName(clientIp), 0)) {
            socket.setSoTimeout(15_000);
            String request = method + " " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\n" + headers + "User-Agent: it\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String[] head = (split < 0 ? answer : answer.substring(0, split)).split("\r\n");
            Map<String, String> fields = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                if (colon > 0) {
                    fields.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
                }
            }
            return new RawAnswer(Integer.parseInt(head[0].split(" ")[1]), fields, split < 0 ? "" : answer.substring(split + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Polls {@code probe} until {@code done} holds or the deadline passes; returns the last value either way. */
    static <T> T pollUntil(Duration deadline, Supplier<T> probe, Predicate<T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
            value = probe.get();
        }
        return value;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
