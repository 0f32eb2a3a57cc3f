package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Browser form uploads under a signed POST policy, sent as a browser sends a form. S3Proxy checks the policy's
 * signature, expiry and conditions (exact key and Content-Type, content-length-range, no extra fields) and the
 * SHA-256 field, so each refusal here is S3's own.
 */
class BrowserFormIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String alice;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice");
    }

    @Test
    void aFormWithinThePolicyIsStoredAndCompletes() {
        byte[] content = Api.bytes("<svg xmlns='http://www.w3.org/2000/svg'/>" + UUID.randomUUID());
        JsonNode upload = api.start(alice, "filename", "drawing.svg", "size", content.length,
                "contentType", "image/svg+xml", "sha256", Api.sha256(content), "method", "POST");
        assertThat(upload.path("method").asText()).isEqualTo("POST");
        assertThat(upload.path("fields").path("key").asText()).isEqualTo(upload.path("key").asText());

        HttpResponse<String> post = postForm(upload.path("url").asText(), upload.path("fields"), Map.of(), content);
        assertThat(post.statusCode()).as(post.body()).isIn(200, 201, 204);
        JsonNode done = api.awaitStatus(alice, upload.path("uploadId").asText(), "COMPLETED");
        assertThat(done.path("contentType").asText()).isEqualTo("image/svg+xml");
        assertThat(Api.json(api.get(alice, "/v1/files/" + upload.path("uploadId").asText())).path("sha256Verified").asBoolean()).isTrue();
    }

    @Test
    void formsOutsideThePolicyAreRefused() {
        byte[] content = Api.bytes("policy bound " + UUID.randomUUID());
        JsonNode upload = api.start(alice, "filename", "bound.txt", "size", content.length,
                "contentType", "text/plain", "sha256", Api.sha256(content), "method", "POST");
        String url = upload.path("url").asText();
        JsonNode fields = upload.path("fields");

        byte[] longer = Api.bytes(new String(content, StandardCharsets.UTF_8) + "+");
        HttpResponse<String> tooLarge = postForm(url, fields, Map.of(), longer);
        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("EntityTooLarge");

        assertThat(postForm(url, fields, Map.of("Content-Type", "text/html"), content).statusCode()).isEqualTo(403);
        assertThat(postForm(url, fields, Map.of("key", upload.path("key").asText() + "-other"), content).statusCode()).isEqualTo(403);
        assertThat(postForm(url, fields, Map.of("x-amz-meta-extra", "1"), content).statusCode()).isEqualTo(403);

        String policy = new String(Base64.getDecoder().decode(fields.path("policy").asText()), StandardCharsets.UTF_8);
        String widened = Base64.getEncoder().encodeToString(policy.replace("\"text/plain\"", "\"text/html\"")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(postForm(url, fields, Map.of("policy", widened, "Content-Type", "text/html"), content).statusCode()).isEqualTo(403);

        byte[] sameLength = content.clone();
        sameLength[0] ^= 1;
        HttpResponse<String> otherBytes = postForm(url, fields, Map.of(), sameLength);
        assertThat(otherBytes.statusCode()).isEqualTo(400);
        assertThat(otherBytes.body()).contains("BadDigest");

        assertThat(api.status(alice, upload.path("uploadId").asText()).path("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void anExpiredPolicyIsRefused() {
        byte[] content = Api.bytes("late form");
        JsonNode upload = api.start(alice, "filename", "late.txt", "size", content.length,
                "contentType", "text/plain", "method", "POST", "expiresInSeconds", 1);
        Api.waitUntilPast(Instant.parse(upload.path("expiresAt").asText()));
        HttpResponse<String> post = postForm(upload.path("url").asText(), upload.path("fields"), Map.of(), content);
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("expired");
    }

    /** A multipart/form-data POST: the policy's fields in order (some replaced), then the file. */
    private static HttpResponse<String> postForm(String url, JsonNode fields, Map<String, String> replaced, byte[] file) {
        ObjectNode form = fields.deepCopy();
        replaced.forEach(form::put);
        String boundary = "----blocks" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Iterator<Map.Entry<String, JsonNode>> it = form.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue().asText() + "\r\n");
        }
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n");
        body.writeBytes(file);
        write(body, "\r\n--" + boundary + "--\r\n");
        return Api.send(HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
