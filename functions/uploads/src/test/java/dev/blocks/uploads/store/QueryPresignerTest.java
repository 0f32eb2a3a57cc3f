package dev.blocks.uploads.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The in-process signer against the AWS SDK's S3Presigner as the oracle: for the same request, credentials and
 * signing time, both must produce the same URL, signature included.
 */
class QueryPresignerTest {

    private static final AwsCredentials SESSION = AwsSessionCredentials.create("ASIAEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session/token==");
    private static final AwsCredentials BASIC = AwsBasicCredentials.create("AKIDEXAMPLE", "secret/with+chars=");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Test
    void aPathStylePutWithEverySignedHeader() {
        try (S3Presigner sdk = presigner(SESSION, Region.US_EAST_1, URI.create("http://127.0.0.1:4566"))) {
            PresignedRequest expected = sdk.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                    .putObjectRequest(b -> b.bucket("bucket").key("uploads/alice/2026/11/0b3c5d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f")
                            .contentType("text/plain; charset=utf-8").contentLength(1234L).ifNoneMatch("*")
                            .checksumSHA256("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=")));
            assertSameAs(expected, new QueryPresigner("us-east-1", URI.create("http://127.0.0.1:4566/bucket")), SESSION);
        }
    }

    @Test
    void aVirtualHostedPartUrl() {
        try (S3Presigner sdk = presigner(BASIC, Region.EU_WEST_1, null)) {
            PresignedRequest expected = sdk.presignUploadPart(p -> p.signatureDuration(Duration.ofHours(1))
                    .uploadPartRequest(b -> b.bucket("my-bucket").key("uploads/~abc/2026/01/id").uploadId("2~Ab+c/d=e")
                            .partNumber(10_000).contentLength(5L << 20)));
            assertSameAs(expected, new QueryPresigner("eu-west-1", URI.create("https://my-bucket.s3.eu-west-1.amazonaws.com")), BASIC);
        }
    }

    @Test
    void aDownloadWithResponseOverridesAndAnAwkwardKey() {
        try (S3Presigner sdk = presigner(SESSION, Region.US_EAST_1, URI.create("http://localhost:9000"))) {
            PresignedRequest expected = sdk.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(b -> b.bucket("b").key("dir/a b+c/Grüße 東京 (1).txt")
                            .responseContentDisposition("attachment; filename=\"Gr__e __.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe")
                            .responseContentType("text/plain; charset=utf-8")));
            assertSameAs(expected, new QueryPresigner("us-east-1", URI.create("http://localhost:9000/b")), SESSION);
        }
    }

    @Test
    void refusesLifetimesSigV4Refuses() {
        QueryPresigner presigner = new QueryPresigner("us-east-1", URI.create("https://b.s3.amazonaws.com"));
        SigningCredentials credentials = SigningCredentials.of(BASIC);
        assertThatThrownBy(() -> presigner.presign("GET", "k", Map.of(), Map.of(), credentials, Instant.now(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> presigner.presign("GET", "k", Map.of(), Map.of(), credentials, Instant.now(), Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headerValuesAreCanonicalised() {
        assertThat(QueryPresigner.trimmed("  text/plain;   charset=utf-8 ")).isEqualTo("text/plain; charset=utf-8");
        assertThat(QueryPresigner.encode("a b+c/~é")).isEqualTo("a%20b%2Bc%2F~%C3%A9");
        assertThat(QueryPresigner.encodePath("a b/c+d/")).isEqualTo("a%20b/c%2Bd/");
    }

    /** Signs what the SDK signed (same method, key, parameters, headers and time) and compares the URLs. */
    private static void assertSameAs(PresignedRequest expected, QueryPresigner presigner, AwsCredentials credentials) {
        URI url = URI.create(expected.url().toString());
        Map<String, String> query = query(url.getRawQuery());
        Instant signedAt = STAMP.parse(query.get("X-Amz-Date"), Instant::from);
        Duration expires = Duration.ofSeconds(Long.parseLong(query.get("X-Amz-Expires")));
        Map<String, String> parameters = new LinkedHashMap<>(query);
        parameters.keySet().removeIf(name -> name.startsWith("X-Amz-"));
        Map<String, String> headers = new LinkedHashMap<>();
        expected.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        String bucketPath = bucketPath(url);
        String key = URLDecoder.decode(url.getRawPath().substring(bucketPath.length() + 1).replace("+", "%2B"), StandardCharsets.UTF_8);

        URI actual = URI.create(presigner.presign(expected.httpRequest().method().name(), key, parameters, headers,
                SigningCredentials.of(credentials), signedAt, expires));

        assertThat(actual.getScheme() + "://" + actual.getRawAuthority() + actual.getRawPath())
                .isEqualTo(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath());
        assertThat(query(actual.getRawQuery())).isEqualTo(query);
    }

    private static String bucketPath(URI url) {
        // path-style URLs start with "/<bucket>", virtual-hosted ones with the key
        String path = url.getRawPath();
        return url.getHost().contains(".s3.") ? "" : path.substring(0, path.indexOf('/', 1));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static S3Presigner presigner(AwsCredentials credentials, Region region, URI endpoint) {
        S3Presigner.Builder builder = S3Presigner.builder().region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint != null).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

}
