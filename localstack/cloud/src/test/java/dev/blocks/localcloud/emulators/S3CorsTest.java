package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.spec.BucketSpec.CorsRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The local S3 answers browsers as S3 does: only what the plan's CORS configuration allows passes a preflight. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3CorsTest {

    private static final String APP = "http://app.localhost:3000";
    private final HttpClient http = HttpClient.newHttpClient();
    private S3Emulator s3;

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Emulator();
        s3.start();
        try (var client = AwsClients.s3(s3)) {
            client.createBucket(request -> request.bucket("uploads"));
        }
    }

    @AfterAll
    void stop() {
        s3.stop();
    }

    @Test
    void refusesEveryPreflightUntilARuleAllowsItThenOnlyWhatTheRuleAllows() throws Exception {
        assertThat(preflight(APP, "PUT", "content-type").statusCode()).isEqualTo(403);

        s3.cors(Map.of("uploads", List.of(new CorsRule(List.of(APP), List.of("PUT", "GET"),
                List.of("content-type", "x-amz-date"), List.of("ETag"), 3000)), "other", List.of()));

        HttpResponse<String> allowed = preflight(APP, "PUT", "content-type");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(allowed.headers().firstValue("access-control-allow-methods").orElse("")).contains("PUT");
        assertThat(allowed.headers().firstValue("access-control-expose-headers").orElse("")).contains("ETag");

        assertThat(preflight("http://evil.localhost", "PUT", "content-type").statusCode()).isEqualTo(403);
        assertThat(preflight(APP, "PUT", "x-not-allowed").statusCode()).isEqualTo(403);
        // S3 answers 403 here, S3Proxy 400: to a browser both are a refused preflight.
        HttpResponse<String> method = preflight(APP, "DELETE", "content-type");
        assertThat(method.statusCode()).isBetween(400, 403);
        assertThat(method.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void refusesBucketsWhoseRulesDifferRatherThanMergingThemKindly() {
        CorsRule a = new CorsRule(List.of(APP), List.of("PUT"), List.of("*"), List.of(), 0);
        CorsRule b = new CorsRule(List.of("http://other.localhost"), List.of("GET"), List.of("*"), List.of(), 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s3.cors(Map.of("a", List.of(a), "b", List.of(b))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different CORS rules");
    }

    private HttpResponse<String> preflight(String origin, String method, String headers) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/uploads/some/key"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", origin)
                        .header("Access-Control-Request-Method", method)
                        .header("Access-Control-Request-Headers", headers)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
