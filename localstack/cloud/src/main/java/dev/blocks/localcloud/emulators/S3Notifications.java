package dev.blocks.localcloud.emulators;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.BucketSpec.NotificationSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * S3 event notifications to SQS for the local S3: each created object becomes the event document S3 sends
 * (event version 2.1), delivered to every queue whose notification matches the event name and the key's prefix
 * and suffix. Register it with {@link S3Emulator#onObjectCreated}; delivery happens before the upload is answered.
 * A queue that does not exist (yet) is logged and skipped, as S3 would drop the event.
 */
public final class S3Notifications implements Consumer<ObjectCreated> {

    private static final Logger LOG = LoggerFactory.getLogger(S3Notifications.class);
    private static final String ANY_OBJECT_CREATED = "s3:ObjectCreated:*";
    private static final String PRINCIPAL = "local";
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ISO_INSTANT;

    private final Map<String, BucketSpec> buckets = new ConcurrentHashMap<>();
    private final SqsClient sqs;
    private final String region;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    public S3Notifications(List<BucketSpec> buckets, SqsClient sqs) {
        this(buckets, sqs, S3Emulator.REGION, Clock.systemUTC());
    }

    public S3Notifications(List<BucketSpec> buckets, SqsClient sqs, String region, Clock clock) {
        buckets.forEach(bucket -> this.buckets.put(bucket.name(), bucket));
        this.sqs = sqs;
        this.region = region;
        this.clock = clock;
    }

    @Override
    public void accept(ObjectCreated created) {
        BucketSpec bucket = buckets.get(created.bucket());
        if (bucket == null) {
            return;
        }
        Instant now = clock.instant();
        for (NotificationSpec notification : bucket.notifications()) {
            if (matches(notification, created)) {
                deliver(notification, created, now);
            }
        }
    }

    static boolean matches(NotificationSpec notification, ObjectCreated created) {
        boolean event = notification.events().stream().anyMatch(pattern ->
                pattern.equals(ANY_OBJECT_CREATED) || pattern.equals("s3:ObjectCreated:" + created.eventName()));
        return event
                && (isBlank(notification.prefix()) || created.key().startsWith(notification.prefix()))
                && (isBlank(notification.suffix()) || created.key().endsWith(notification.suffix()));
    }

    /**
     * The key as S3 writes it into events: form-encoded (space as {@code +}, {@code +} as {@code %2B}, other
     * characters as UTF-8 percent escapes) with {@code /} left as is.
     */
    static String eventKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    String eventDocument(NotificationSpec notification, ObjectCreated created, Instant time) {
        ObjectNode record = json.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(time.truncatedTo(ChronoUnit.MILLIS)));
        record.put("eventName", "ObjectCreated:" + created.eventName());
        record.putObject("userIdentity").put("principalId", "AWS:" + PRINCIPAL);
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", HexFormat.of().withUpperCase().formatHex(randomBytes(8)));
        response.put("x-amz-id-2", Base64.getEncoder().encodeToString(randomBytes(48)));
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId(notification));
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", created.bucket());
        bucket.putObject("ownerIdentity").put("principalId", PRINCIPAL);
        bucket.put("arn", "arn:aws:s3:::" + created.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", eventKey(created.key()));
        object.put("size", created.size());
        if (created.eTag() != null) {
            object.put("eTag", created.eTag());
        }
        object.put("sequencer", created.sequencer());
        ObjectNode document = json.createObjectNode();
        document.putArray("Records").add(record);
        return document.toString();
    }

    /** Terraform names a notification only when told to; the queue it feeds identifies it as well locally. */
    private static String configurationId(NotificationSpec notification) {
        return "notify-" + notification.queueName();
    }

    private void deliver(NotificationSpec notification, ObjectCreated created, Instant time) {
        String body = eventDocument(notification, created, time);
        try {
            sqs.sendMessage(message -> message.queueUrl(queueUrl(notification.queueName())).messageBody(body));
        } catch (QueueDoesNotExistException e) {
            queueUrls.remove(notification.queueName());
            LOG.warn("S3 event for s3://{}/{} dropped: queue {} does not exist", created.bucket(), created.key(),
                    notification.queueName());
        } catch (RuntimeException e) {
            LOG.warn("S3 event for s3://{}/{} not delivered to queue {}", created.bucket(), created.key(),
                    notification.queueName(), e);
        }
    }

    private String queueUrl(String queueName) {
        return queueUrls.computeIfAbsent(queueName, name -> sqs.getQueueUrl(request -> request.queueName(name)).queueUrl());
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }
}
