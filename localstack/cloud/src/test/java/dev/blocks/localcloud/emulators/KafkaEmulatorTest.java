package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedEmulators.class)
class KafkaEmulatorTest {

    @Test
    void recordsAreConsumedByAGroupAcrossABrokerRestartOnTheSamePort(Emulators emulators) throws Exception {
        KafkaEmulator kafka = emulators.kafka();
        String topic = "clicks-" + UUID.randomUUID();
        String bootstrap = kafka.endpoint();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer(bootstrap);
             KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, "link-1", "before restart")).get(30, TimeUnit.SECONDS);
            consumer.subscribe(List.of(topic));
            assertThat(pollValues(consumer, 1)).containsExactly("before restart");
            consumer.commitSync();

            kafka.stop();
            kafka.stop();
            assertThat(Ports.free(kafka.port())).isTrue();
            kafka.start();

            assertThat(kafka.endpoint()).isEqualTo(bootstrap);
            producer.send(new ProducerRecord<>(topic, "link-1", "after restart")).get(60, TimeUnit.SECONDS);
            assertThat(pollValues(consumer, 1)).containsExactly("after restart");
        }
        try (KafkaConsumer<String, String> newcomer = consumer(bootstrap)) {
            newcomer.subscribe(List.of(topic));
            assertThat(pollValues(newcomer, 2)).containsExactly("before restart", "after restart");
        }
    }

    /** As on MSK (auto.create.topics.enable=false): naming a topic does not create it. */
    @Test
    void aProducerCannotCreateATopicByNamingIt(Emulators emulators) throws Exception {
        String bootstrap = emulators.kafka().endpoint();
        String topic = "undeclared-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS))
                    .hasStackTraceContaining("not present in metadata");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(topic);
        }
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int count) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "clicks-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }
}
