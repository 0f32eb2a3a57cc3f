package dev.blocks.kit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Tokens compared with the ones botocore (AWS's Python SDK) presigns from the same inputs: the script
 * {@code elasticache_iam_token.py} beside this test runs with python3 at each test run, so the reference cannot
 * drift. Skipped where python3 or botocore is missing.
 */
class ElastiCacheIamTokenTest {

    private static final Instant AT = Instant.ofEpochSecond(1_765_000_000L); // 2025-12-06T05:46:40Z
    private static final AwsCredentialsIdentity KEYS =
            AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final AwsCredentialsIdentity SESSION = AwsSessionCredentials.create("ASIAEXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "IQoJb3JpZ2luX2VjEL7//////////wEaCXVzLWVhc3QtMSJH+tok==");

    @TempDir
    static Path scratch;
    private static Path script;

    @BeforeAll
    static void reference() throws Exception {
        script = scratch.resolve("elasticache_iam_token.py");
        try (InputStream in = ElastiCacheIamTokenTest.class.getResourceAsStream("elasticache_iam_token.py")) {
            Files.copy(in, script);
        }
    }

    @Test
    void serverlessTokenMatchesBotocore() throws Exception {
        String token = new ElastiCacheIamToken("blocks-redis", "blocks-functions", true, "us-east-1")
                .generate(KEYS, Clock.fixed(AT, ZoneOffset.UTC));

        assertSameToken(token, botocore("blocks-redis", "blocks-functions", true, "us-east-1", AT, KEYS));
        assertThat(token).startsWith("blocks-redis/?Action=connect&User=blocks-functions&ResourceType=ServerlessCache&")
                .contains("X-Amz-Expires=900", "X-Amz-Date=20251206T054640Z",
                        "X-Amz-Credential=AKIDEXAMPLE%2F20251206%2Fus-east-1%2Felasticache%2Faws4_request")
                .doesNotContain("http");
    }

    @Test
    void sessionCredentialsSignTheirTokenAndMatchBotocore() throws Exception {
        String token = new ElastiCacheIamToken("blocks-redis", "blocks-functions", true, "eu-west-1")
                .generate(SESSION, Clock.fixed(AT, ZoneOffset.UTC));

        assertSameToken(token, botocore("blocks-redis", "blocks-functions", true, "eu-west-1", AT, SESSION));
        assertThat(parse(token).params()).containsKey("X-Amz-Security-Token");
    }

    @Test
    void replicationGroupTokenHasNoResourceTypeAndMatchesBotocore() throws Exception {
        Instant later = AT.plusSeconds(3_601);
        String token = new ElastiCacheIamToken("my-group", "app-user", false, "ap-southeast-2")
                .generate(KEYS, Clock.fixed(later, ZoneOffset.UTC));

        assertSameToken(token, botocore("my-group", "app-user", false, "ap-southeast-2", later, KEYS));
        assertThat(parse(token).params()).doesNotContainKey("ResourceType");
    }

    @Test
    void anotherSecondOrUserGivesAnotherSignature() {
        ElastiCacheIamToken tokens = new ElastiCacheIamToken("blocks-redis", "blocks-functions", true, "us-east-1");
        String now = tokens.generate(KEYS, Clock.fixed(AT, ZoneOffset.UTC));

        assertThat(tokens.generate(KEYS, Clock.fixed(AT, ZoneOffset.UTC))).isEqualTo(now);
        assertThat(signature(tokens.generate(KEYS, Clock.fixed(AT.plusSeconds(1), ZoneOffset.UTC))))
                .isNotEqualTo(signature(now));
        assertThat(signature(new ElastiCacheIamToken("blocks-redis", "someone-else", true, "us-east-1")
                .generate(KEYS, Clock.fixed(AT, ZoneOffset.UTC)))).isNotEqualTo(signature(now));
    }

    @Test
    void missingPartsAreRefused() {
        assertThatThrownBy(() -> new ElastiCacheIamToken("", "u", true, "us-east-1")).hasMessageContaining("cache name");
        assertThatThrownBy(() -> new ElastiCacheIamToken("c", null, true, "us-east-1")).hasMessageContaining("user");
        assertThatThrownBy(() -> new ElastiCacheIamToken("c", "u", true, " ")).hasMessageContaining("region");
    }

    private static String signature(String token) {
        return parse(token).params().get("X-Amz-Signature");
    }

    /** Same host and path, same parameters with the same values (the order of parameters is not signed). */
    private static void assertSameToken(String actual, String expected) {
        Token a = parse(actual);
        Token e = parse(expected);
        assertThat(a.hostAndPath()).isEqualTo(e.hostAndPath());
        assertThat(a.params()).isEqualTo(e.params());
        assertThat(a.params().get("X-Amz-Signature")).hasSize(64);
    }

    private record Token(String hostAndPath, Map<String, String> params) {}

    private static Token parse(String token) {
        int q = token.indexOf('?');
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : token.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            assertThat(params.put(pair.substring(0, eq), pair.substring(eq + 1))).as("repeated %s", pair).isNull();
        }
        return new Token(token.substring(0, q), params);
    }

    private static String botocore(String cache, String user, boolean serverless, String region, Instant at,
                                   AwsCredentialsIdentity credentials) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", script.toString(), cache, user,
                Boolean.toString(serverless), region, Long.toString(at.getEpochSecond()),
                credentials.accessKeyId(), credentials.secretAccessKey()));
        if (credentials instanceof AwsSessionCredentials session) {
            command.add(session.sessionToken());
        }
        Process python;
        try {
            python = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException noPython) {
            assumeTrue(false, "python3 is not installed: " + noPython.getMessage());
            throw noPython;
        }
        assertThat(python.waitFor(30, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(!out.contains("No module named 'botocore'"), "botocore is not installed");
        assertThat(python.exitValue()).as(out).isZero();
        return out;
    }
}
