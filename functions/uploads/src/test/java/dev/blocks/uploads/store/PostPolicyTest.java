package dev.blocks.uploads.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.uploads.domain.MediaType;
import dev.blocks.uploads.domain.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy document a form upload is bound by; that S3 accepts the signature is shown by BrowserFormIT. */
class PostPolicyTest {

    private static final SigningCredentials SIGNER = new SigningCredentials("AKIDEXAMPLE", "secret", Optional.of("token"));
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30.123Z");
    private static final MediaType PDF = MediaType.parse("application/pdf").orElseThrow();
    private static final Sha256 DIGEST = new Sha256("a".repeat(64));

    @Test
    void everyFieldIsBoundByAnExactCondition() throws Exception {
        Map<String, String> fields = PostPolicy.fields(SIGNER, "eu-west-1", "bucket", "uploads/a/2026/11/id", PDF, 1234,
                Optional.of(DIGEST), NOW, NOW.plusSeconds(900));
        assertThat(fields.keySet()).containsExactly("key", "Content-Type", "x-amz-algorithm", "x-amz-credential",
                "x-amz-date", "x-amz-security-token", "x-amz-checksum-sha256", "policy", "x-amz-signature");
        assertThat(fields.get("x-amz-credential")).isEqualTo("AKIDEXAMPLE/20261124/eu-west-1/s3/aws4_request");
        assertThat(fields.get("x-amz-date")).isEqualTo("20261124T101530Z");

        JsonNode policy = new ObjectMapper().readTree(Base64.getDecoder().decode(fields.get("policy")));
        assertThat(policy.path("expiration").asText()).isEqualTo("2026-11-24T10:30:30.123Z");
        List<String> conditions = new ArrayList<>();
        policy.path("conditions").forEach(c -> conditions.add(c.toString()));
        assertThat(conditions).containsExactly(
                "{\"bucket\":\"bucket\"}",
                "{\"key\":\"uploads/a/2026/11/id\"}",
                "{\"Content-Type\":\"application/pdf\"}",
                "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"}",
                "{\"x-amz-credential\":\"AKIDEXAMPLE/20261124/eu-west-1/s3/aws4_request\"}",
                "{\"x-amz-date\":\"20261124T101530Z\"}",
                "{\"x-amz-security-token\":\"token\"}",
                "{\"x-amz-checksum-sha256\":\"" + DIGEST.base64() + "\"}",
                "[\"content-length-range\",1234,1234]");
    }

    @Test
    void theSignatureCoversThePolicy() {
        Map<String, String> a = PostPolicy.fields(SIGNER, "eu-west-1", "bucket", "k", PDF, 1, Optional.empty(), NOW, NOW.plusSeconds(60));
        Map<String, String> same = PostPolicy.fields(SIGNER, "eu-west-1", "bucket", "k", PDF, 1, Optional.empty(), NOW, NOW.plusSeconds(60));
        Map<String, String> larger = PostPolicy.fields(SIGNER, "eu-west-1", "bucket", "k", PDF, 2, Optional.empty(), NOW, NOW.plusSeconds(60));
        assertThat(a).isEqualTo(same);
        assertThat(a.get("x-amz-signature")).matches("[0-9a-f]{64}").isNotEqualTo(larger.get("x-amz-signature"));
        assertThat(a).doesNotContainKey("x-amz-checksum-sha256");
        SigningCredentials noToken = new SigningCredentials("AKIDEXAMPLE", "secret", Optional.empty());
        assertThat(PostPolicy.fields(noToken, "eu-west-1", "bucket", "k", PDF, 1, Optional.empty(), NOW, NOW.plusSeconds(60)))
                .doesNotContainKey("x-amz-security-token");
        assertThat(new String(Base64.getDecoder().decode(a.get("policy")), StandardCharsets.UTF_8)).doesNotContain("secret");
    }
}
