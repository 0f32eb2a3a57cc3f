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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * S3 event notifications to SQS for the local S3: each created or removed object becomes the event document S3
 * sends (event version 2.1), delivered to every queue whose notification matches the event name and the key's
 * prefix and suffix. {@link #configure} stands for S3's PutBucketNotificationConfiguration: like S3, it sends each
 * queue an {@code s3:TestEvent} first. Register the instance with {@link S3Emulator#onObjectCreated} and
 * {@link S3Emulator#onObjectRemoved}; delivery happens before the request is answered. A queue that does not exist
 * (yet) is logged and skipped, as S3 would drop the event.
 */
public final class S3Notifications implements Consumer<ObjectCreated> {

    private static final Logger LOG = LoggerFactory.getLogger(S3Notifications.class);
    private static final String PRINCIPAL = "local";
    /** S3 writes event times with milliseconds, always three digits. */
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

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

    /**
     * The buckets' notification configurations, in place from now on: each queue they name receives S3's
     * {@code s3:TestEvent} for the bucket, as after PutBucketNotificationConfiguration on S3.
     */
    public static S3Notifications configure(List<BucketSpec> buckets, SqsClient sqs, String region) {
        S3Notifications notifications = new S3Notifications(buckets, sqs, region, Clock.systemUTC());
        notifications.sendTestEvents();
        return notifications;
    }

    void sendTestEvents() {
        Instant now = clock.instant();
        for (BucketSpec bucket : buckets.values()) {
            Set<String> queues = new LinkedHashSet<>();
            bucket.notifications().forEach(notification -> queues.add(notification.queueName()));
            for (String queue : queues) {
                send(queue, testEvent(bucket.name(), now), "s3:TestEvent for bucket " + bucket.name());
            }
        }
    }

    @Override
    public void accept(ObjectCreated created) {
        notify(new Change(created.bucket(), created.key(), "ObjectCreated:" + created.eventName(), created.size(),
                created.eTag(), created.sequencer()));
    }

    /** An object was deleted. */
    public void removed(ObjectRemoved removed) {
        notify(new Change(removed.bucket(), removed.key(), "ObjectRemoved:" + removed.eventName(), null, null,
                removed.sequencer()));
    }

    private void notify(Change change) {
        BucketSpec bucket = buckets.get(change.bucket());
        if (bucket == null) {
            return;
        }
        Instant now = clock.instant();
        for (NotificationSpec notification : bucket.notifications()) {
            if (matches(notification, change)) {
                send(notification.queueName(), eventDocument(notification, change, now),
                        "S3 event " + change.eventName() + " for s3://" + change.bucket() + "/" + change.key());
            }
        }
    }

    /**
     * What happened to an object, as an S3 event names it: {@code eventName} is {@code ObjectCreated:Put},
     * {@code ObjectRemoved:Delete} and the like; a removal has no size and no ETag (null).
     */
    record Change(String bucket, String key, String eventName, Long size, String eTag, String sequencer) {}

    /** The notification's events name this one ({@code s3:ObjectCreated:Put}) or its kind ({@code s3:ObjectCreated:*}). */
    static boolean matches(NotificationSpec notification, Change change) {
        String kind = change.eventName().substring(0, change.eventName().indexOf(':'));
        boolean event = notification.events().stream().anyMatch(pattern ->
                pattern.equals("s3:" + kind + ":*") || pattern.equals("s3:" + change.eventName()));
        return event
                && (isBlank(notification.prefix()) || change.key().startsWith(notification.prefix()))
                && (isBlank(notification.suffix()) || change.key().endsWith(notification.suffix()));
    }

    /**
     * The key as S3 writes it into events: form-encoded (space as {@code +}, {@code +} as {@code %2B}, other
     * characters as UTF-8 percent escapes) with {@code /} left as is.
     */
    static String eventKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    static String eventTime(Instant time) {
        return EVENT_TIME.format(time);
    }

    String eventDocument(NotificationSpec notification, Change change, Instant time) {
        ObjectNode record = json.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", eventTime(time));
        record.put("eventName", change.eventName());
        record.putObject("userIdentity").put("principalId", "AWS:" + PRINCIPAL);
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", requestId());
        response.put("x-amz-id-2", hostId());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId(notification));
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", change.bucket());
        bucket.putObject("ownerIdentity").put("principalId", PRINCIPAL);
        bucket.put("arn", "arn:aws:s3:::" + change.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", eventKey(change.key()));
        if (change.size() != null) {
            object.put("size", change.size());
        }
        if (change.eTag() != null) {
            object.put("eTag", change.eTag());
        }
        object.put("sequencer", change.sequencer());
        ObjectNode document = json.createObjectNode();
        document.putArray("Records").add(record);
        return document.toString();
    }

    /** The message S3 sends a destination when a notification configuration names it. */
    String testEvent(String bucket, Instant time) {
        ObjectNode event = json.createObjectNode();
        event.put("Service", "Amazon S3");
        event.put("Event", "s3:TestEvent");
        event.put("Time", eventTime(time));
        event.put("Bucket", bucket);
        event.put("RequestId", requestId());
        event.put("HostId", hostId());
        return event.toString();
    }

    /** Terraform names a notification only when told to; the queue it feeds identifies it as well locally. */
    private static String configurationId(NotificationSpec notification) {
        return "notify-" + notification.queueName();
    }

    private void send(String queueName, String body, String what) {
        try {
            sqs.sendMessage(message -> message.queueUrl(queueUrl(queueName)).messageBody(body));
        } catch (QueueDoesNotExistException e) {
            queueUrls.remove(queueName);
            LOG.warn("{} dropped: queue {} does not exist", what, queueName);
        } catch (RuntimeException e) {
            LOG.warn("{} not delivered to queue {}", what, queueName, e);
        }
    }

    private String queueUrl(String queueName) {
        return queueUrls.computeIfAbsent(queueName, name -> sqs.getQueueUrl(request -> request.queueName(name)).queueUrl());
    }

    private String requestId() {
        return HexFormat.of().withUpperCase().formatHex(randomBytes(8));
    }

    private String hostId() {
        return Base64.getEncoder().encodeToString(randomBytes(48));
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
