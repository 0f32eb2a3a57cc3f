package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single-request uploads with a presigned PUT, sent with plain java.net.http: S3 (S3Proxy, which checks SigV4)
 * accepts exactly the declared request and refuses every other one; the S3 event then completes the upload.
 */
class SinglePutIT {

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
    void thePresignedPutIsAcceptedAndTheEventCompletesTheUpload() {
        byte[] content = Api.bytes("hello, direct upload " + UUID.randomUUID());
        JsonNode upload = api.start(alice, "filename", "hello.txt", "size", content.length,
                "contentType", "text/plain", "sha256", Api.sha256(content));
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        assertThat(upload.path("status").asText()).isEqualTo("PENDING");
        assertThat(upload.path("key").asText()).matches("uploads/alice/\\d{4}/\\d{2}/" + upload.path("uploadId").asText());
        assertThat(upload.path("headers").path("content-type").asText()).isEqualTo("text/plain");
        assertThat(upload.path("headers").has("x-amz-checksum-sha256")).isTrue();

        HttpResponse<String> put = Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        JsonNode done = api.awaitStatus(alice, upload.path("uploadId").asText(), "COMPLETED");
        assertThat(done.path("size").asLong()).isEqualTo(content.length);
        assertThat(done.path("completedAt").asText()).isNotBlank();
    }

    @Test
    void everyOtherRequestIsRefusedByS3() {
        byte[] content = Api.bytes("exactly these bytes " + UUID.randomUUID());
        JsonNode upload = api.start(alice, "filename", "exact.txt", "size", content.length,
                "contentType", "text/plain", "sha256", Api.sha256(content));
        String url = upload.path("url").asText();
        JsonNode headers = upload.path("headers");

        // tampered: another key in the path, or a changed signature
        String otherKey = url.replace(upload.path("uploadId").asText(), UUID.randomUUID().toString());
        assertThat(Api.sendSigned("PUT", otherKey, headers, content).statusCode()).isEqualTo(403);
        int signatureAt = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char first = url.charAt(signatureAt);
        String otherSignature = url.substring(0, signatureAt) + (first == '0' ? '1' : '0') + url.substring(signatureAt + 1);
        assertThat(Api.sendSigned("PUT", otherSignature, headers, content).statusCode()).isEqualTo(403);

        // another Content-Type than the signed one
        ObjectNode html = headers.deepCopy();
        html.put("content-type", "text/html");
        assertThat(Api.sendSigned("PUT", url, html, content).statusCode()).isEqualTo(403);

        // another length
        byte[] longer = Api.bytes(new String(content, StandardCharsets.UTF_8) + "!");
        assertThat(Api.sendSigned("PUT", url, headers, longer).statusCode()).isEqualTo(403);

        // the same length, other bytes: the signed SHA-256 no longer matches
        byte[] other = content.clone();
        other[0] ^= 1;
        HttpResponse<String> wrongChecksum = Api.sendSigned("PUT", url, headers, other);
        assertThat(wrongChecksum.statusCode()).isEqualTo(400);
        assertThat(wrongChecksum.body()).contains("BadDigest");

        // nothing got through: the upload is still waiting for its bytes
        assertThat(api.status(alice, upload.path("uploadId").asText()).path("status").asText()).isEqualTo("PENDING");
        assertThat(Api.sendSigned("PUT", url, headers, content).statusCode()).isEqualTo(200);
        api.awaitStatus(alice, upload.path("uploadId").asText(), "COMPLETED");
    }

    @Test
    void anExpiredUrlIsRefused() {
        byte[] content = Api.bytes("too late");
        JsonNode upload = api.start(alice, "filename", "late.txt", "size", content.length,
                "contentType", "text/plain", "expiresInSeconds", 1);
        Api.waitUntilPast(Instant.parse(upload.path("expiresAt").asText()).plusSeconds(1));
        HttpResponse<String> put = Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content);
        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(put.body()).contains("expired");
    }

    @Test
    void aCompletedFileCannotBeReplacedWithItsOwnUrl() {
        byte[] content = Api.bytes("first and only " + UUID.randomUUID());
        JsonNode upload = api.start(alice, "filename", "once.txt", "size", content.length, "contentType", "text/plain");
        assertThat(upload.path("headers").path("if-none-match").asText()).isEqualTo("*");
        assertThat(Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content).statusCode()).isEqualTo(200);
        api.awaitStatus(alice, upload.path("uploadId").asText(), "COMPLETED");

        byte[] replacement = content.clone();
        replacement[0] ^= 1;
        HttpResponse<String> again = Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), replacement);
        assertThat(again.statusCode()).isEqualTo(412);
    }

    @Test
    void aFilenameWithSpacesAndNonAsciiWorksEndToEnd() {
        String owner = "Jürgen Müller / QA";
        String jurgen = api.issueKey(owner);
        String filename = "Grüße aus Köln — 東京 report (final).txt";
        byte[] content = Api.bytes("Inhalt mit Umlauten: äöü " + UUID.randomUUID());
        JsonNode upload = api.start(jurgen, "filename", filename, "size", content.length,
                "contentType", "text/plain; charset=utf-8");
        // the owner is not plain: its key segment is a hash, which S3 events URL-encode ("~" as %7E)
        assertThat(upload.path("key").asText()).matches("uploads/~[0-9a-f]{64}/\\d{4}/\\d{2}/[0-9a-f-]{36}");
        assertThat(Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content).statusCode()).isEqualTo(200);
        String id = upload.path("uploadId").asText();
        JsonNode done = api.awaitStatus(jurgen, id, "COMPLETED");
        assertThat(done.path("filename").asText()).isEqualTo(filename);

        JsonNode file = Api.json(api.get(jurgen, "/v1/files/" + id));
        assertThat(file.path("filename").asText()).isEqualTo(filename);
        assertThat(file.path("contentType").asText()).isEqualTo("text/plain; charset=utf-8");

        HttpResponse<String> redirect = api.get(jurgen, "/v1/files/" + id + "/content");
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("location").orElseThrow();
        HttpResponse<byte[]> download = download(location, null);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);
        String disposition = download.headers().firstValue("content-disposition").orElseThrow();
        assertThat(disposition).startsWith("attachment;");
        String encoded = disposition.substring(disposition.indexOf("filename*=UTF-8''") + "filename*=UTF-8''".length());
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(filename);

        HttpResponse<byte[]> range = download(location, "bytes=0-6");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("Inhalt ");
    }

    private static HttpResponse<byte[]> download(String url, String range) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (range != null) {
            request.header("range", range);
        }
        try {
            return Api.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
