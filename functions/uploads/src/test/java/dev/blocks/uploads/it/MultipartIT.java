package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Multipart uploads (the test stack starts them at 6 MiB, with 5 MiB parts): a 10 MiB + 1 KiB file is three
 * parts of 5 MiB, 5 MiB and 1 KiB, each sent to its own presigned URL.
 */
class MultipartIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final int MIB = 1 << 20;
    private static final int SIZE = 10 * MIB + 1024;

    private static Api api;
    private static String alice;
    private static S3Client s3;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice");
        s3 = Cloud.s3(CLOUD);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    @Test
    void partsAreListedForResumingAndCompletingVerifiesTheFile() {
        byte[] content = content(1);
        JsonNode upload = api.start(alice, "filename", "video.bin", "size", SIZE, "contentType", "application/octet-stream");
        String id = upload.path("uploadId").asText();
        assertThat(upload.path("method").asText()).isEqualTo("MULTIPART");
        assertThat(upload.path("partSize").asLong()).isEqualTo(5 * MIB);
        assertThat(upload.path("partCount").asInt()).isEqualTo(3);
        JsonNode parts = upload.path("parts");
        assertThat(parts).extracting(p -> p.path("size").asLong()).containsExactly(5L * MIB, 5L * MIB, 1024L);

        String etag1 = uploadPart(parts.get(0), content);
        String etag2 = uploadPart(parts.get(1), content);

        // a client that lost track asks which parts S3 has: it resumes from the first missing one
        JsonNode status = api.status(alice, id);
        assertThat(status.path("status").asText()).isEqualTo("UPLOADING");
        assertThat(status.path("parts")).extracting(p -> p.path("partNumber").asInt()).containsExactly(1, 2);
        assertThat(status.path("parts")).extracting(p -> p.path("size").asLong()).containsExactly(5L * MIB, 5L * MIB);
        assertThat(status.path("parts")).extracting(p -> p.path("etag").asText()).containsExactly(etag1, etag2);

        // a fresh URL for the missing part, from the batch endpoint
        HttpResponse<String> batch = api.post(alice, "/v1/uploads/" + id + "/parts", "{\"partNumbers\":[3]}");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        JsonNode part3 = Api.json(batch).path("parts").get(0);
        assertThat(part3.path("partNumber").asInt()).isEqualTo(3);
        String etag3 = uploadPart(part3, content);

        HttpResponse<String> complete = api.post(alice, "/v1/uploads/" + id + "/complete", claims(etag1, etag2, etag3));
        assertThat(complete.statusCode()).as(complete.body()).isEqualTo(200);
        assertThat(Api.json(complete).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(api.status(alice, id).path("status").asText()).isEqualTo("COMPLETED");
        // completing again is answered with the same file
        assertThat(api.post(alice, "/v1/uploads/" + id + "/complete", claims(etag1, etag2, etag3)).statusCode()).isEqualTo(200);

        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(Cloud.BUCKET).key(upload.path("key").asText())).asByteArray();
        assertThat(stored).isEqualTo(content);
    }

    @Test
    void completeWithoutThePartsIsRefusedAndNothingIsMarked() {
        byte[] content = content(2);
        JsonNode upload = api.start(alice, "filename", "claimed.bin", "size", SIZE, "contentType", "application/octet-stream");
        String id = upload.path("uploadId").asText();
        String etag1 = uploadPart(upload.path("parts").get(0), content);
        String etag2 = uploadPart(upload.path("parts").get(1), content);

        HttpResponse<String> claimed = api.post(alice, "/v1/uploads/" + id + "/complete",
                claims(etag1, etag2, "0123456789abcdef0123456789abcdef"));
        Api.problem(claimed, 409);
        assertThat(Api.json(claimed).path("detail").asText()).contains("parts 3 were not uploaded");

        HttpResponse<String> partial = api.post(alice, "/v1/uploads/" + id + "/complete", claims(etag1, etag2));
        assertThat(partial.statusCode()).isEqualTo(409);
        assertThat(Api.json(partial).path("detail").asText()).contains("parts 3 are not claimed");

        HttpResponse<String> wrongTag = api.post(alice, "/v1/uploads/" + id + "/complete", claims(etag2, etag2, etag2));
        assertThat(wrongTag.statusCode()).isEqualTo(409);

        JsonNode status = api.status(alice, id);
        assertThat(status.path("status").asText()).isEqualTo("UPLOADING");
        assertThat(status.path("parts")).hasSize(2);
        assertThat(s3.listObjectsV2(b -> b.bucket(Cloud.BUCKET).prefix(upload.path("key").asText())).contents()).isEmpty();
    }

    @Test
    void anAbortedUploadLeavesNoPartsAndCannotBeCompleted() {
        byte[] content = content(3);
        JsonNode upload = api.start(alice, "filename", "dropped.bin", "size", SIZE, "contentType", "application/octet-stream");
        String id = upload.path("uploadId").asText();
        String etag1 = uploadPart(upload.path("parts").get(0), content);

        assertThat(api.delete(alice, "/v1/uploads/" + id).statusCode()).isEqualTo(204);
        assertThat(api.status(alice, id).path("status").asText()).isEqualTo("ABORTED");
        // aborting twice is fine
        assertThat(api.delete(alice, "/v1/uploads/" + id).statusCode()).isEqualTo(204);

        // S3 no longer holds the parts (S3 answers NoSuchUpload; S3Proxy an empty list)
        List<Integer> left = new ArrayList<>();
        try {
            s3.listParts(b -> b.bucket(Cloud.BUCKET).key(upload.path("key").asText())
                    .uploadId(multipartUploadIdOf(upload))).parts().forEach(p -> left.add(p.partNumber()));
        } catch (NoSuchUploadException gone) {
            // as S3 does
        }
        assertThat(left).isEmpty();

        HttpResponse<String> complete = api.post(alice, "/v1/uploads/" + id + "/complete", claims(etag1, "x", "y"));
        assertThat(complete.statusCode()).isEqualTo(409);
        HttpResponse<String> parts = api.post(alice, "/v1/uploads/" + id + "/parts", "{\"partNumbers\":[2]}");
        assertThat(parts.statusCode()).isEqualTo(409);
        assertThat(api.status(alice, id).path("status").asText()).isEqualTo("ABORTED");
    }

    @Test
    void partBatchesAreBoundedAndValidated() {
        JsonNode upload = api.start(alice, "filename", "batch.bin", "size", SIZE, "contentType", "application/octet-stream");
        String path = "/v1/uploads/" + upload.path("uploadId").asText() + "/parts";
        assertThat(api.post(alice, path, "{\"partNumbers\":[4]}").statusCode()).isEqualTo(400);
        assertThat(api.post(alice, path, "{\"partNumbers\":[1,1]}").statusCode()).isEqualTo(400);
        assertThat(api.post(alice, path, "{\"partNumbers\":[]}").statusCode()).isEqualTo(400);
        assertThat(api.post(alice, path, "{\"partNumbers\":\"1\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> ok = api.post(alice, path, "{\"partNumbers\":[3,1]}");
        assertThat(Api.json(ok).path("parts")).extracting(p -> p.path("partNumber").asInt()).containsExactly(1, 3);
        assertThat(api.delete(alice, "/v1/uploads/" + upload.path("uploadId").asText()).statusCode()).isEqualTo(204);
    }

    /** PUTs the slice of {@code content} that part {@code part} covers; returns the ETag S3 answered. */
    private static String uploadPart(JsonNode part, byte[] content) {
        int number = part.path("partNumber").asInt();
        int from = (number - 1) * 5 * MIB;
        byte[] slice = java.util.Arrays.copyOfRange(content, from, from + part.path("size").asInt());
        HttpResponse<String> put = Api.sendSigned(part.path("method").asText(), part.path("url").asText(),
                part.path("headers"), slice);
        assertThat(put.statusCode()).as("part %d: %s", number, put.body()).isEqualTo(200);
        return put.headers().firstValue("etag").orElseThrow().replace("\"", "");
    }

    private static String claims(String... etags) {
        ArrayNode parts = Api.JSON.createArrayNode();
        for (int i = 0; i < etags.length; i++) {
            parts.addObject().put("partNumber", i + 1).put("etag", etags[i]);
        }
        return Api.JSON.createObjectNode().set("parts", parts).toString();
    }

    private static String multipartUploadIdOf(JsonNode upload) {
        String url = upload.path("parts").get(0).path("url").asText();
        String query = url.substring(url.indexOf("uploadId=") + "uploadId=".length());
        int end = query.indexOf('&');
        return java.net.URLDecoder.decode(end < 0 ? query : query.substring(0, end), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] content(long seed) {
        byte[] bytes = new byte[SIZE];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
