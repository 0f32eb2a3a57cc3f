package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Attacks on another tenant's uploads and files through the gateway, as an outsider with a valid key of their own
 * would try them: every one is a 404 (an upload of someone else does not exist for you) and leaves the victim's
 * upload record, object and status exactly as they were.
 */
class SecurityIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final int MIB = 1 << 20;

    private static Api api;
    private static String victim;
    private static String attacker;
    private static DynamoDbClient dynamo;
    private static S3Client s3;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        victim = api.issueKey("victim-" + UUID.randomUUID());
        attacker = api.issueKey("attacker-" + UUID.randomUUID());
        dynamo = api.dynamo();
        s3 = Cloud.s3(CLOUD);
    }

    @AfterAll
    static void close() {
        dynamo.close();
        s3.close();
    }

    @Test
    void anotherTenantsCompletedFileCannotBeReadListedOrDeleted() {
        byte[] content = Api.bytes("the victim's secret " + UUID.randomUUID());
        JsonNode upload = api.start(victim, "filename", "secret.txt", "size", content.length, "contentType", "text/plain",
                "sha256", Api.sha256(content));
        String id = upload.path("uploadId").asText();
        assertThat(Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content).statusCode()).isEqualTo(200);
        JsonNode completed = api.awaitStatus(victim, id, "COMPLETED");
        String fileId = completed.path("fileId").asText(id);
        Map<String, AttributeValue> before = record(id);

        for (String path : new String[] {"/v1/uploads/" + id, "/v1/files/" + fileId, "/v1/files/" + fileId + "/content"}) {
            HttpResponse<String> read = api.get(attacker, path);
            Api.problem(read, 404);
            assertThat(read.headers().firstValue("location")).as("no presigned URL leaks").isEmpty();
            assertThat(read.body()).doesNotContain("X-Amz-Signature");
        }
        assertThat(api.delete(attacker, "/v1/uploads/" + id).statusCode()).isEqualTo(404);
        assertThat(api.post(attacker, "/v1/uploads/" + id + "/complete",
                "{\"parts\":[{\"partNumber\":1,\"etag\":\"x\"}]}").statusCode()).isEqualTo(404);

        assertThat(record(id)).isEqualTo(before);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(Cloud.BUCKET).key(upload.path("key").asText())).asByteArray())
                .isEqualTo(content);
        assertThat(api.get(victim, "/v1/files/" + fileId + "/content").statusCode()).isEqualTo(302);
    }

    @Test
    void anotherTenantsOpenMultipartUploadCannotBeSignedCompletedOrAborted() {
        long size = 10L * MIB + 1;
        JsonNode upload = api.start(victim, "filename", "big.bin", "size", size, "contentType", "application/octet-stream");
        String id = upload.path("uploadId").asText();
        assertThat(upload.path("method").asText()).isEqualTo("MULTIPART");
        Map<String, AttributeValue> before = record(id);

        HttpResponse<String> parts = api.post(attacker, "/v1/uploads/" + id + "/parts", "{\"partNumbers\":[1]}");
        assertThat(parts.statusCode()).isEqualTo(404);
        assertThat(parts.body()).doesNotContain("X-Amz-Signature");
        assertThat(api.post(attacker, "/v1/uploads/" + id + "/complete",
                "{\"parts\":[{\"partNumber\":1,\"etag\":\"x\"}]}").statusCode()).isEqualTo(404);
        assertThat(api.delete(attacker, "/v1/uploads/" + id).statusCode()).isEqualTo(404);

        assertThat(record(id)).isEqualTo(before);
        assertThat(api.status(victim, id).path("status").asText()).isEqualTo("PENDING");
        assertThat(api.post(victim, "/v1/uploads/" + id + "/parts", "{\"partNumbers\":[1]}").statusCode()).isEqualTo(200);
    }

    /** The upload's record as stored, read behind the API. */
    private static Map<String, AttributeValue> record(String uploadId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(Cloud.TABLE)
                .key(Map.of("id", AttributeValue.fromS(uploadId))).consistentRead(true)).item();
        assertThat(item).as("upload record %s", uploadId).isNotEmpty();
        return item;
    }
}
