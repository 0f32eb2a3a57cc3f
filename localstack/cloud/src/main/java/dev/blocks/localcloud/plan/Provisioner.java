package dev.blocks.localcloud.plan;

import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.QueueSpec;
import dev.blocks.localcloud.spec.TableSpec;
import dev.blocks.localcloud.spec.TableSpec.IndexSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates what a {@link CloudSpec} declares in the emulators: DynamoDB tables (keys, indexes, TTL), SQS queues
 * (dead-letter queues first, redrive policies, FIFO attributes), S3 buckets (and CORS rules where the emulator
 * takes them), which Terraform creates; and, separately, the Kafka topics a stack declares but does not create
 * itself ({@link #createMissingTopics}), as the cluster's operator would. Idempotent: what exists already is left
 * as it is or brought in line.
 */
public final class Provisioner {

    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    private static final long KAFKA_TIMEOUT_SECONDS = 30;

    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final S3Client s3;
    private final Admin kafka;

    /** {@code kafka} may be null when the spec declares no topics. */
    public Provisioner(DynamoDbClient dynamo, SqsClient sqs, S3Client s3, Admin kafka) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.s3 = s3;
        this.kafka = kafka;
    }

    /** What Terraform's resources create: tables, queues, buckets (topics have no resource; see below). */
    public void apply(CloudSpec spec) {
        spec.tables().forEach(this::table);
        queues(spec.queues());
        spec.buckets().forEach(this::bucket);
    }

    /**
     * Creates the declared topics the cluster does not have yet and returns them. Called once the plan's
     * invocations ran: a stack that creates its topics (the root stack's kafka-topics) leaves none to create here,
     * while a stack that only declares them (a capability's test stack) gets what its operator would create.
     */
    public List<String> createMissingTopics(List<String> declared) {
        if (declared.isEmpty()) {
            return List.of();
        }
        requireKafka(declared);
        Set<String> existing;
        try {
            existing = kafka.listTopics().names().get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the Kafka topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the Kafka topics", e);
        }
        List<String> missing = declared.stream().filter(topic -> !existing.contains(topic)).toList();
        topics(missing);
        return missing;
    }

    /**
     * Creates again what a restarted emulator lost: a queue on AWS never disappears because SQS had a bad moment,
     * so a restart of the (in-memory) SQS emulator must not lose the plan's queues either. Every step is idempotent.
     */
    public void restore(String service, CloudSpec spec) {
        switch (service) {
            case "sqs" -> queues(spec.queues());
            case "dynamodb" -> spec.tables().forEach(this::table);
            case "s3" -> spec.buckets().forEach(this::bucket);
            case "kafka" -> topics(spec.kafkaTopics());
            default -> {
                // Redis holds no definitions
            }
        }
    }

    // --- DynamoDB -----------------------------------------------------------------------------------------------

    void table(TableSpec table) {
        try {
            dynamo.createTable(b -> b
                    .tableName(table.name())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(table.attributes().entrySet().stream()
                            .map(a -> AttributeDefinition.builder().attributeName(a.getKey()).attributeType(a.getValue()).build())
                            .toList())
                    .keySchema(keys(table.hashKey(), table.rangeKey()))
                    .globalSecondaryIndexes(table.globalIndexes().isEmpty() ? null : table.globalIndexes().stream()
                            .map(i -> GlobalSecondaryIndex.builder().indexName(i.name())
                                    .keySchema(keys(i.hashKey(), i.rangeKey())).projection(projection(i)).build())
                            .toList())
                    .localSecondaryIndexes(table.localIndexes().isEmpty() ? null : table.localIndexes().stream()
                            .map(i -> LocalSecondaryIndex.builder().indexName(i.name())
                                    .keySchema(keys(table.hashKey(), i.rangeKey())).projection(projection(i)).build())
                            .toList()));
            LOG.debug("created table {}", table.name());
        } catch (ResourceInUseException exists) {
            LOG.debug("table {} exists already", table.name());
        }
        table.ttlAttribute().ifPresent(attribute -> timeToLive(table.name(), attribute));
    }

    private void timeToLive(String table, String attribute) {
        var current = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
        boolean on = current != null && attribute.equals(current.attributeName())
                && (current.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                    || current.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
        if (!on) {
            dynamo.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(s -> s.attributeName(attribute).enabled(true)));
        }
    }

    private static List<KeySchemaElement> keys(String hashKey, Optional<String> rangeKey) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
        rangeKey.ifPresent(range -> keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build()));
        return keys;
    }

    private static Projection projection(IndexSpec index) {
        ProjectionType type = ProjectionType.fromValue(index.projectionType());
        return Projection.builder()
                .projectionType(type)
                // DynamoDB rejects non-key attributes unless the projection is INCLUDE.
                .nonKeyAttributes(type == ProjectionType.INCLUDE ? index.nonKeyAttributes() : null)
                .build();
    }

    // --- SQS ----------------------------------------------------------------------------------------------------

    void queues(List<QueueSpec> queues) {
        List<QueueSpec> pending = new ArrayList<>(queues);
        // A redrive policy names its dead-letter queue by ARN, so that queue must exist first.
        while (!pending.isEmpty()) {
            Set<String> waiting = pending.stream().map(QueueSpec::name).collect(Collectors.toSet());
            List<QueueSpec> ready = pending.stream()
                    .filter(q -> q.deadLetterQueue().filter(waiting::contains).isEmpty())
                    .toList();
            if (ready.isEmpty()) {
                throw new IllegalArgumentException("dead-letter queues form a cycle among " + waiting);
            }
            ready.forEach(this::queue);
            pending.removeAll(ready);
        }
    }

    private void queue(QueueSpec queue) {
        Map<QueueAttributeName, String> attributes = new EnumMap<>(QueueAttributeName.class);
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(queue.visibilityTimeoutSeconds()));
        attributes.put(QueueAttributeName.DELAY_SECONDS, Integer.toString(queue.delaySeconds()));
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(queue.messageRetentionSeconds()));
        queue.deadLetterQueue().ifPresent(dlq -> attributes.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + queueArn(dlq) + "\",\"maxReceiveCount\":" + queue.maxReceiveCount() + "}"));
        Optional<String> existing = queueUrl(queue.name());
        if (existing.isPresent()) {
            sqs.setQueueAttributes(b -> b.queueUrl(existing.get()).attributes(attributes));
            LOG.debug("queue {} exists already; attributes set", queue.name());
            return;
        }
        if (queue.fifo()) {
            // Set at creation only: ElasticMQ refuses to change them on an existing queue.
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, Boolean.toString(queue.contentBasedDeduplication()));
        }
        sqs.createQueue(b -> b.queueName(queue.name()).attributes(attributes));
        LOG.debug("created queue {}", queue.name());
    }

    private Optional<String> queueUrl(String name) {
        try {
            return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
        } catch (QueueDoesNotExistException e) {
            return Optional.empty();
        }
    }

    private String queueArn(String name) {
        String url = queueUrl(name).orElseThrow(() -> new IllegalStateException("dead-letter queue " + name + " does not exist"));
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    // --- S3 -----------------------------------------------------------------------------------------------------

    void bucket(BucketSpec bucket) {
        try {
            Region region = s3.serviceClientConfiguration().region();
            s3.createBucket(b -> {
                b.bucket(bucket.name());
                if (region != null && !region.equals(Region.US_EAST_1)) {
                    b.createBucketConfiguration(c -> c.locationConstraint(region.id()));
                }
            });
            LOG.debug("created bucket {}", bucket.name());
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException exists) {
            LOG.debug("bucket {} exists already", bucket.name());
        }
        if (!bucket.cors().isEmpty()) {
            try {
                s3.putBucketCors(b -> b.bucket(bucket.name()).corsConfiguration(c -> c.corsRules(bucket.cors().stream()
                        .map(rule -> CORSRule.builder()
                                .allowedOrigins(rule.allowedOrigins())
                                .allowedMethods(rule.allowedMethods())
                                .allowedHeaders(rule.allowedHeaders())
                                .exposeHeaders(rule.exposeHeaders())
                                .maxAgeSeconds(rule.maxAgeSeconds() > 0 ? rule.maxAgeSeconds() : null)
                                .build())
                        .toList())));
            } catch (S3Exception notTaken) {
                // Browsers are the only clients that care, and only in front-end work against the local cloud.
                LOG.info("the S3 emulator did not take the CORS rules of bucket {} ({}); continuing without them",
                        bucket.name(), notTaken.awsErrorDetails() == null ? notTaken.getMessage()
                                : notTaken.awsErrorDetails().errorCode());
            }
        }
    }

    // --- Kafka --------------------------------------------------------------------------------------------------

    private void requireKafka(List<String> topics) {
        if (kafka == null) {
            throw new IllegalStateException("the spec declares Kafka topics " + topics + " but no Kafka admin client was given");
        }
    }

    void topics(List<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        requireKafka(topics);
        // One partition: one broker, and records of a topic reach the function in the order they were written.
        var result = kafka.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList());
        for (var topic : result.values().entrySet()) {
            try {
                topic.getValue().get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create Kafka topic " + topic.getKey(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not create topic " + topic.getKey() + " within "
                        + KAFKA_TIMEOUT_SECONDS + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating Kafka topic " + topic.getKey(), e);
            }
        }
    }
}
