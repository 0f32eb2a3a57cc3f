package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who may do what, what a bad request gets back, and dedup by content hash within one owner. */
class ApiIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice");
        bob = api.issueKey("bob");
    }

    @Test
    void callersMustIdentifyThemselves() {
        HttpResponse<String> anonymous = api.post(null, "/v1/uploads", "{}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(api.post("bk_not-a-real-key-at-all-000000", "/v1/uploads", "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void badDeclarationsAreRefusedWithEveryFieldNamed() {
        HttpResponse<String> response = api.post(alice, "/v1/uploads",
                "{\"filename\":\"\",\"size\":\"big\",\"contentType\":\"nope\",\"sha256\":\"xyz\",\"method\":\"FTP\"}");
        Api.problem(response, 400);
        assertThat(Api.json(response).path("errors")).extracting(e -> e.path("field").asText())
                .containsExactlyInAnyOrder("size", "method", "filename", "contentType", "sha256");

        HttpResponse<String> tooLarge = api.post(alice, "/v1/uploads",
                "{\"filename\":\"huge.bin\",\"size\":53687091201,\"contentType\":\"application/octet-stream\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(Api.json(tooLarge).path("errors").get(0).path("message").asText()).contains("53687091200");

        HttpResponse<String> wrongType = api.post(alice, "/v1/uploads",
                "{\"filename\":\"a.exe\",\"size\":1,\"contentType\":\"application/x-msdownload\",\"purpose\":\"image\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(Api.json(wrongType).path("errors").get(0).path("field").asText()).isEqualTo("contentType");
    }

    @Test
    void unknownFieldsAreRefusedByNameAndNothingIsWritten() {
        long writes = writes();
        HttpResponse<String> misspelt = api.post(alice, "/v1/uploads",
                "{\"filename\":\"a.txt\",\"size\":3,\"contentType\":\"text/plain\",\"expiresIn\":60}");
        Api.problem(misspelt, 400);
        assertThat(Api.json(misspelt).path("errors")).extracting(e -> e.path("field").asText() + " " + e.path("message").asText())
                .containsExactly("expiresIn unknown field");

        HttpResponse<String> duplicate = api.post(alice, "/v1/uploads",
                "{\"filename\":\"a.txt\",\"size\":3,\"size\":4,\"contentType\":\"text/plain\"}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(Api.json(duplicate).path("errors").get(0).path("field").asText()).isEqualTo("size");
        assertThat(writes()).isEqualTo(writes);

        String id = api.start(alice, "filename", "parts.bin", "size", 3, "contentType", "application/octet-stream")
                .path("uploadId").asText();
        HttpResponse<String> misplaced = api.post(alice, "/v1/uploads/" + id + "/complete",
                "{\"parts\":[{\"partNumber\":1,\"etag\":\"x\",\"checksum\":\"y\"}]}");
        assertThat(misplaced.statusCode()).isEqualTo(400);
        assertThat(Api.json(misplaced).path("errors").get(0).path("field").asText()).isEqualTo("parts[0].checksum");
        assertThat(api.status(alice, id).path("status").asText()).isEqualTo("PENDING");
    }

    private static long writes() {
        return CLOUD.dynamoDbRequests(Cloud.TABLE, "PutItem") + CLOUD.dynamoDbRequests(Cloud.TABLE, "UpdateItem")
                + CLOUD.dynamoDbRequests(Cloud.TABLE, "TransactWriteItems");
    }

    @Test
    void anotherOwnersUploadDoesNotExist() {
        JsonNode upload = api.start(alice, "filename", "mine.txt", "size", 3, "contentType", "text/plain");
        String id = upload.path("uploadId").asText();
        assertThat(api.get(bob, "/v1/uploads/" + id).statusCode()).isEqualTo(404);
        assertThat(api.delete(bob, "/v1/uploads/" + id).statusCode()).isEqualTo(404);
        assertThat(api.get(bob, "/v1/files/" + id).statusCode()).isEqualTo(404);
        assertThat(api.get(alice, "/v1/uploads/not-an-id").statusCode()).isEqualTo(404);
        assertThat(api.status(alice, id).path("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void theSameContentIsAnsweredWithTheExistingFileButNeverAcrossOwners() {
        byte[] content = Api.bytes("dedup me " + UUID.randomUUID());
        String sha256 = Api.sha256(content);
        JsonNode first = api.start(alice, "filename", "original.txt", "size", content.length, "contentType", "text/plain",
                "sha256", sha256);
        assertThat(Api.sendSigned("PUT", first.path("url").asText(), first.path("headers"), content).statusCode()).isEqualTo(200);
        api.awaitStatus(alice, first.path("uploadId").asText(), "COMPLETED");

        HttpResponse<String> again = api.post(alice, "/v1/uploads", Api.object("filename", "copy.txt", "size", content.length,
                "contentType", "text/plain", "sha256", sha256).toString());
        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode dedup = Api.json(again);
        assertThat(dedup.path("deduplicated").asBoolean()).isTrue();
        assertThat(dedup.path("fileId").asText()).isEqualTo(first.path("fileId").asText());
        assertThat(dedup.path("filename").asText()).isEqualTo("original.txt");
        assertThat(dedup.has("url")).isFalse();

        JsonNode bobs = api.start(bob, "filename", "bob.txt", "size", content.length, "contentType", "text/plain",
                "sha256", sha256);
        assertThat(bobs.path("fileId").asText()).isNotEqualTo(first.path("fileId").asText());
        assertThat(bobs.path("url").asText()).isNotBlank();
    }
}
