package dev.blocks.testfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.sqs.SqsFunction;
import dev.blocks.kit.sqs.SqsMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** test-s3: records the decoded key of every S3 event notification that reaches it through SQS. */
@ApplicationScoped
@Named(UploadRole.NAME)
class UploadRole implements SqsFunction {

    static final String NAME = "test-s3";

    private final Records records;
    private final ObjectMapper json;

    UploadRole(Records records, ObjectMapper json) {
        this.records = records;
        this.json = json;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onMessage(SqsMessage message) throws Exception {
        for (JsonNode record : json.readTree(message.body()).path("Records")) {
            String rawKey = record.path("s3").path("object").path("key").asText();
            // S3 form-encodes keys in notifications: '+' is a space, '%2B' a plus.
            String key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
            records.put("s3", key, Map.of("rawKey", rawKey, "eventName", record.path("eventName").asText(),
                    "bucket", record.path("s3").path("bucket").path("name").asText(),
                    "size", record.path("s3").path("object").path("size").asText()));
        }
    }
}
