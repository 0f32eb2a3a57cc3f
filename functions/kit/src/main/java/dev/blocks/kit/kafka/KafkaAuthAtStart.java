package dev.blocks.kit.kafka;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Reads {@code BLOCKS_KAFKA_AUTH} during the init phase of every function, so that a misspelt value stops the
 * function at start (an init error naming the variable) rather than at its first Kafka client, which some roles
 * build only on first use.
 */
@Singleton
class KafkaAuthAtStart {

    void check(@Observes StartupEvent started) {
        KafkaAuth.configured();
    }
}
