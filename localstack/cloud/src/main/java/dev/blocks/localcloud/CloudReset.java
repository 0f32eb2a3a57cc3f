package dev.blocks.localcloud;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.QueueSpec;
import dev.blocks.localcloud.spec.TableSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Empties what the plan defined and keeps the definitions, for a clean slate without a restart: every table's
 * items, every queue's messages (PurgeQueue), every bucket's objects (deleted through S3, so removal notifications
 * fire as on S3 — before the queues are purged), Redis (FLUSHALL) and every Kafka topic's records (DeleteRecords up
 * to the end: topics, partitions and consumer groups stay). Idle function instances end too, so no in-process
 * cache outlives the data it was filled from; the next invocations are cold starts.
 */
final class CloudReset {

    private static final int DYNAMODB_BATCH = 25;
    private static final int S3_BATCH = 1000;
    private static final long REDIS_TIMEOUT_MILLIS = 10_000;

    private final CloudSpec spec;
    private final Endpoints endpoints;
    private final LocalCloud cloud;

    CloudReset(LocalCloud cloud) {
        this.cloud = cloud;
        this.spec = cloud.spec();
        this.endpoints = cloud.endpoints();
    }

    /** Empties everything; the answer counts what went, per resource. */
    ObjectNode run() throws Exception {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        try (ServiceClients clients = new ServiceClients(endpoints, !spec.kafkaTopics().isEmpty())) {
            // Buckets first: their removal notifications land in queues that are purged next.
            ObjectNode buckets = result.putObject("buckets");
            for (BucketSpec bucket : spec.buckets()) {
                buckets.put(bucket.name(), emptyBucket(clients.s3(), bucket.name()));
            }
            ObjectNode queues = result.putObject("queues");
            for (QueueSpec queue : spec.queues()) {
                queues.put(queue.name(), purge(clients.sqs(), queue.name()));
            }
            ObjectNode tables = result.putObject("tables");
            for (TableSpec table : spec.tables()) {
                tables.put(table.name(), emptyTable(clients.dynamo(), table));
            }
            if (endpoints.redis() != null) {
                flushRedis(URI.create(endpoints.redis()));
                result.put("redis", "FLUSHALL");
            }
            ObjectNode topics = result.putObject("kafkaTopics");
            if (!spec.kafkaTopics().isEmpty()) {
                deleteRecords(clients.kafka(), spec.kafkaTopics()).forEach(topics::put);
            }
        }
        result.put("functionInstancesEnded", cloud.lambda().reclaimIdle(java.time.Duration.ZERO));
        return result;
    }

    /** Deletes every item by its key; returns how many. */
    private static long emptyTable(DynamoDbClient dynamo, TableSpec table) {
        Map<String, String> names = new HashMap<>();
        names.put("#h", table.hashKey());
        table.rangeKey().ifPresent(range -> names.put("#r", range));
        String projection = table.rangeKey().isPresent() ? "#h, #r" : "#h";
        long deleted = 0;
        Map<String, AttributeValue> from = null;
        do {
            ScanResponse page = dynamo.scan(ScanRequest.builder().tableName(table.name())
                    .projectionExpression(projection).expressionAttributeNames(names)
                    .exclusiveStartKey(from).consistentRead(true).build());
            List<WriteRequest> deletes = page.items().stream()
                    .map(key -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build())
                    .toList();
            for (int i = 0; i < deletes.size(); i += DYNAMODB_BATCH) {
                writeAll(dynamo, table.name(), deletes.subList(i, Math.min(deletes.size(), i + DYNAMODB_BATCH)));
            }
            deleted += deletes.size();
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        return deleted;
    }

    /** One BatchWriteItem, again with what DynamoDB left unprocessed. */
    private static void writeAll(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> left = Map.of(table, batch);
        for (int attempt = 0; left.values().stream().anyMatch(requests -> !requests.isEmpty()); attempt++) {
            if (attempt == 10) {
                throw new IllegalStateException("table " + table + ": deletes still unprocessed after 10 attempts");
            }
            Map<String, List<WriteRequest>> requests = left;
            left = dynamo.batchWriteItem(request -> request.requestItems(requests)).unprocessedItems();
        }
    }

    /** PurgeQueue; returns how many messages the queue held (visible, in flight and delayed). */
    private static long purge(SqsClient sqs, String name) {
        String url = sqs.getQueueUrl(request -> request.queueName(name)).queueUrl();
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request -> request.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        long held = attributes.values().stream().mapToLong(Long::parseLong).sum();
        sqs.purgeQueue(request -> request.queueUrl(url));
        return held;
    }

    /** Deletes every object (DeleteObjects, a thousand at a time); returns how many. */
    private static long emptyBucket(S3Client s3, String bucket) {
        long deleted = 0;
        while (true) {
            List<ObjectIdentifier> keys = s3.listObjectsV2(request -> request.bucket(bucket).maxKeys(S3_BATCH))
                    .contents().stream().map(S3Object::key)
                    .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
            if (keys.isEmpty()) {
                return deleted;
            }
            var answer = s3.deleteObjects(request -> request.bucket(bucket).delete(delete -> delete.objects(keys)));
            if (answer.hasErrors() && !answer.errors().isEmpty()) {
                throw new IllegalStateException("bucket " + bucket + ": cannot delete " + answer.errors().stream()
                        .map(error -> error.key() + " (" + error.code() + ")").collect(Collectors.joining(", ")));
            }
            deleted += keys.size();
        }
    }

    /** Deletes every record of every partition up to its end; returns the records deleted per topic. */
    private static Map<String, Long> deleteRecords(Admin kafka, List<String> topics)
            throws ExecutionException, InterruptedException {
        Map<String, TopicDescription> described = kafka.describeTopics(topics).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        described.values().forEach(topic -> topic.partitions().forEach(partition -> {
            TopicPartition key = new TopicPartition(topic.name(), partition.partition());
            latest.put(key, OffsetSpec.latest());
            earliest.put(key, OffsetSpec.earliest());
        }));
        var ends = kafka.listOffsets(latest).all().get();
        var starts = kafka.listOffsets(earliest).all().get();
        Map<TopicPartition, RecordsToDelete> deletes = new HashMap<>();
        Map<String, Long> counts = new java.util.TreeMap<>();
        topics.forEach(topic -> counts.put(topic, 0L));
        ends.forEach((partition, end) -> {
            long start = starts.get(partition).offset();
            if (end.offset() > start) {
                deletes.put(partition, RecordsToDelete.beforeOffset(end.offset()));
                counts.merge(partition.topic(), end.offset() - start, Long::sum);
            }
        });
        if (!deletes.isEmpty()) {
            kafka.deleteRecords(deletes).all().get();
        }
        return counts;
    }

    /** FLUSHALL over RESP (with AUTH when the URI carries a password), checking for +OK. */
    static void flushRedis(URI redis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort()),
                    (int) REDIS_TIMEOUT_MILLIS);
            socket.setSoTimeout((int) REDIS_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String userInfo = redis.getUserInfo();
            if (userInfo != null && !userInfo.isEmpty()) {
                int colon = userInfo.indexOf(':');
                List<String> auth = new ArrayList<>(List.of("AUTH"));
                if (colon > 0) {
                    auth.add(userInfo.substring(0, colon));
                }
                auth.add(colon >= 0 ? userInfo.substring(colon + 1) : userInfo);
                command(out, in, auth);
            }
            command(out, in, List.of("FLUSHALL"));
        }
    }

    private static void command(OutputStream out, InputStream in, List<String> words) throws IOException {
        StringBuilder request = new StringBuilder("*").append(words.size()).append("\r\n");
        for (String word : words) {
            request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(word).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            line.append((char) c);
        }
        String answer = line.toString().trim();
        if (!answer.equals("+OK")) {
            throw new IOException("Redis answered " + words.get(0) + " with " + (answer.isEmpty() ? "nothing" : answer));
        }
    }
}
