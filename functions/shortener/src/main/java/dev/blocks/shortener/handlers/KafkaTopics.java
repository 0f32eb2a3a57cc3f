package dev.blocks.shortener.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.kafka.KafkaAuth;
import dev.blocks.kit.lambda.LambdaFunction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * kafka-topics: creates the stack's Kafka topics on deploy. MSK Serverless has no Terraform resource for topics, so
 * Terraform invokes this function ({@code aws_lambda_invocation}) with every topic of the stack's {@code kafka_topics};
 * the local cloud runs the same invocation from the plan. Missing topics are created, existing ones are left as they
 * are, so every apply may call it again. It lives in the shortener's artifact because that one carries the Kafka
 * client and MSK's IAM library; it is a role of its own with only the Kafka grants it needs.
 *
 * <p>Event: {@code {"topics":[{"name":"blocks-clicks","partitions":3}]}}; answer: {@code {"created":[...],"existing":[...]}}.
 * A topic Kafka refuses fails the invocation, and so the apply, naming it.
 */
@ApplicationScoped
@Named(KafkaTopics.NAME)
class KafkaTopics implements LambdaFunction {

    static final String NAME = "kafka-topics";
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    static final int MAX_PARTITIONS = 1000;
    private static final long TIMEOUT_SECONDS = 30;

    private final String servers;
    private final KafkaAuth auth;

    @Inject
    KafkaTopics(ShortenerConfig config) {
        this(config.kafka().bootstrapServers(), KafkaAuth.configured());
    }

    KafkaTopics(Optional<String> servers, KafkaAuth auth) {
        this.servers = servers.filter(s -> !s.isBlank()).orElse(null);
        this.auth = auth;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode invoke(JsonNode event) throws Exception {
        Map<String, Integer> wanted = wanted(event);
        if (servers == null) {
            throw new IllegalStateException("BLOCKS_SHORTENER_KAFKA_BOOTSTRAP_SERVERS is not set: no Kafka to create topics on");
        }
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        auth.applyTo(settings);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        try (Admin admin = Admin.create(settings)) {
            // The cluster's default replication (MSK Serverless fixes it; a local broker has one replica).
            Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted.entrySet().stream()
                    .map(t -> new NewTopic(t.getKey(), Optional.of(t.getValue()), Optional.empty())).toList()).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Kafka did not create topic " + result.getKey() + ": " + e.getCause(), e.getCause());
                    }
                    existing.add(result.getKey());
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka did not create topic " + result.getKey() + " within " + TIMEOUT_SECONDS + " s", e);
                }
            }
        }
        created.sort(null);
        existing.sort(null);
        created.forEach(answer.putArray("created")::add);
        existing.forEach(answer.putArray("existing")::add);
        return answer;
    }

    /** The topics asked for, by name; a malformed request is refused naming the field. */
    static Map<String, Integer> wanted(JsonNode event) {
        JsonNode topics = event.path("topics");
        if (!topics.isArray()) {
            throw new IllegalArgumentException("topics must be a list of {name, partitions}");
        }
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (int i = 0; i < topics.size(); i++) {
            JsonNode topic = topics.get(i);
            String name = topic.path("name").asText("");
            if (!TOPIC_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("topics[" + i + "].name must be 1 to 249 letters, digits, '.', '_' or '-'");
            }
            JsonNode partitions = topic.path("partitions");
            if (!partitions.canConvertToInt() || !partitions.isIntegralNumber() || partitions.asInt() < 1 || partitions.asInt() > MAX_PARTITIONS) {
                throw new IllegalArgumentException("topics[" + i + "].partitions must be a whole number from 1 to " + MAX_PARTITIONS);
            }
            if (wanted.putIfAbsent(name, partitions.asInt()) != null) {
                throw new IllegalArgumentException("topics[" + i + "].name " + name + " is listed twice");
            }
        }
        return wanted;
    }
}
