package dev.blocks.shortener.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.kafka.KafkaAuth;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kafka-topics on a real Kafka broker: what is missing is created with its partitions, what exists is left alone. */
class KafkaTopicsTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("kafka");

    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTopics function() {
        return new KafkaTopics(Optional.of(cloud.endpoints().kafka()), KafkaAuth.NONE);
    }

    private static JsonNode event(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static Map<String, TopicDescription> described(List<String> names) throws Exception {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cloud.endpoints().kafka());
        try (Admin admin = Admin.create(settings)) {
            return admin.describeTopics(names).allTopicNames().get();
        }
    }

    @Test
    void missingTopicsAreCreatedWithTheirPartitionsAndExistingOnesLeftAsTheyAre() throws Exception {
        String clicks = "t-" + UUID.randomUUID() + "-clicks";
        String inbound = "t-" + UUID.randomUUID() + "-inbound";

        JsonNode first = function().invoke(event("{\"topics\":[{\"name\":\"" + clicks + "\",\"partitions\":3}]}"));
        JsonNode second = function().invoke(event("{\"topics\":[{\"name\":\"" + clicks + "\",\"partitions\":5},"
                + "{\"name\":\"" + inbound + "\",\"partitions\":1}]}"));

        assertThat(first.path("created")).extracting(JsonNode::asText).containsExactly(clicks);
        assertThat(first.path("existing")).isEmpty();
        assertThat(second.path("created")).extracting(JsonNode::asText).containsExactly(inbound);
        assertThat(second.path("existing")).extracting(JsonNode::asText).containsExactly(clicks);
        Map<String, TopicDescription> topics = described(List.of(clicks, inbound));
        // The second call asked for 5: an existing topic is not changed.
        assertThat(topics.get(clicks).partitions()).hasSize(3);
        assertThat(topics.get(inbound).partitions()).hasSize(1);
    }

    @Test
    void aMalformedRequestIsRefusedNamingTheFieldBeforeKafkaIsAsked() {
        KafkaTopics function = new KafkaTopics(Optional.empty(), KafkaAuth.NONE);
        assertThatThrownBy(() -> function.invoke(event("{}"))).hasMessageContaining("topics must be a list");
        assertThatThrownBy(() -> function.invoke(event("{\"topics\":[{\"name\":\"a b\",\"partitions\":1}]}")))
                .hasMessageContaining("topics[0].name");
        assertThatThrownBy(() -> function.invoke(event("{\"topics\":[{\"name\":\"a\",\"partitions\":1},{\"name\":\"b\",\"partitions\":0}]}")))
                .hasMessageContaining("topics[1].partitions");
        assertThatThrownBy(() -> function.invoke(event("{\"topics\":[{\"name\":\"a\",\"partitions\":1.5}]}")))
                .hasMessageContaining("topics[0].partitions");
        assertThatThrownBy(() -> function.invoke(event("{\"topics\":[{\"name\":\"a\",\"partitions\":1},{\"name\":\"a\",\"partitions\":2}]}")))
                .hasMessageContaining("topics[1].name a is listed twice");
        assertThatThrownBy(() -> function.invoke(event("{\"topics\":[{\"name\":\"a\",\"partitions\":1}]}")))
                .hasMessageContaining("BLOCKS_SHORTENER_KAFKA_BOOTSTRAP_SERVERS");
    }
}
