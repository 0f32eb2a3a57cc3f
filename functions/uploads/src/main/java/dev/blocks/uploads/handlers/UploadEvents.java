package dev.blocks.uploads.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.sqs.SqsFunction;
import dev.blocks.kit.sqs.SqsMessage;
import dev.blocks.uploads.UploadsConfig;
import dev.blocks.uploads.domain.ETags;
import dev.blocks.uploads.domain.ObjectKey;
import dev.blocks.uploads.domain.Upload;
import dev.blocks.uploads.domain.UploadStatus;
import dev.blocks.uploads.store.UploadBucket;
import dev.blocks.uploads.store.UploadTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * uploads-events: S3 ObjectCreated notifications, delivered through SQS. Each object is checked against its
 * upload with HeadObject (the notification only says "something was written"), so a duplicate, a late or an
 * out-of-order notification changes nothing that the first one did not. A message that cannot be handled fails
 * alone (partial batch response) and ends in the dead-letter queue after the queue's receive limit.
 */
@ApplicationScoped
@Named(UploadEvents.NAME)
class UploadEvents implements SqsFunction {

    static final String NAME = "uploads-events";

    private static final Logger LOG = Logger.getLogger(UploadEvents.class);

    private final ObjectMapper json;
    private final UploadTable table;
    private final UploadBucket bucket;
    private final ObjectVerifier verifier;
    private final String keyPrefix;

    UploadEvents(ObjectMapper json, UploadTable table, UploadBucket bucket, ObjectVerifier verifier, UploadsConfig config) {
        this.json = json;
        this.table = table;
        this.bucket = bucket;
        this.verifier = verifier;
        this.keyPrefix = config.keyPrefix();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onMessage(SqsMessage message) throws Exception {
        JsonNode body = json.readTree(message.body());
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("not an S3 event document");
        }
        if (!body.has("Records")) {
            // S3 sends an s3:TestEvent when the notification is configured; there is nothing to do.
            LOG.debugf("message %s is no S3 event record (%s)", message.messageId(), body.path("Event").asText("?"));
            return;
        }
        for (JsonNode record : body.get("Records")) {
            if (!record.path("eventName").asText().startsWith("ObjectCreated:")) {
                continue;
            }
            JsonNode s3 = record.path("s3");
            String bucketName = s3.path("bucket").path("name").asText();
            if (!bucketName.equals(bucket.bucket())) {
                LOG.warnf("event for bucket %s ignored: this function serves %s", bucketName, bucket.bucket());
                continue;
            }
            // S3 writes keys form-encoded in events: '+' is a space, non-ASCII is percent-encoded UTF-8.
            String key = URLDecoder.decode(s3.path("object").path("key").asText(), StandardCharsets.UTF_8);
            created(key, s3.path("object").path("eTag").asText(null));
        }
    }

    private void created(String key, String eventETag) {
        Optional<UUID> id = ObjectKey.uploadIdOf(keyPrefix, key);
        if (id.isEmpty()) {
            LOG.warnf("object %s is not an upload key; ignored", key);
            return;
        }
        Optional<Upload> found = table.find(id.get());
        if (found.isEmpty() || !found.get().key().equals(key)) {
            LOG.warnf("object %s has no upload record; ignored", key);
            return;
        }
        Upload upload = found.get();
        if (upload.status() == UploadStatus.COMPLETED) {
            if (eventETag != null && upload.eTag().isPresent() && !upload.eTag().get().equals(ETags.unquoted(eventETag))) {
                LOG.warnf("upload %s was COMPLETED with ETag %s and an object with ETag %s arrived", upload.id(),
                        upload.eTag().get(), ETags.unquoted(eventETag));
            }
            return;
        }
        if (!upload.status().open()) {
            // The upload ended (expired, aborted, failed) before these bytes came: they belong to no file.
            LOG.infof("object of %s upload %s deleted", upload.status(), upload.id());
            bucket.delete(key);
            return;
        }
        if (verifier.settle(upload, "event").isEmpty()) {
            LOG.infof("object %s of upload %s is gone again; nothing to settle", key, upload.id());
        }
    }
}
