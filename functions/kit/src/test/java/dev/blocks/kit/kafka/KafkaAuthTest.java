package dev.blocks.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaAuthTest {

    @Test
    void mskIamAddsSaslSslWithTheIamLoginModuleAndCallbackHandler() {
        Properties client = new Properties();
        client.put("bootstrap.servers", "b-1.kafka.example:9098");

        KafkaAuth.parse(Optional.of("msk-iam")).applyTo(client);

        assertThat(client).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "b-1.kafka.example:9098",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "AWS_MSK_IAM",
                "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
    }

    @Test
    void unsetBlankAndNoneAddNothing() {
        for (Optional<String> configured : new Optional[] {Optional.empty(), Optional.of(""), Optional.of("  "),
                Optional.of("none"), Optional.of("NONE")}) {
            Properties client = new Properties();
            client.put("bootstrap.servers", "localhost:9092");

            KafkaAuth auth = KafkaAuth.parse(configured);
            auth.applyTo(client);

            assertThat(auth).as("%s", configured).isEqualTo(KafkaAuth.NONE);
            assertThat(client).as("%s", configured).containsExactly(Map.entry("bootstrap.servers", "localhost:9092"));
        }
    }

    @Test
    void valuesAreReadCaseInsensitivelyAndTrimmed() {
        assertThat(KafkaAuth.parse(Optional.of(" MSK-IAM "))).isEqualTo(KafkaAuth.MSK_IAM);
    }

    @Test
    void anUnknownValueIsRefusedNamingTheVariable() {
        for (String wrong : new String[] {"iam", "msk_iam", "sasl", "scram"}) {
            assertThatThrownBy(() -> KafkaAuth.parse(Optional.of(wrong)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("BLOCKS_KAFKA_AUTH")
                    .hasMessageContaining("'" + wrong + "'")
                    .hasMessageContaining("msk-iam");
        }
    }

    @Test
    void theConfiguredValueComesFromTheFunctionsConfiguration() {
        String before = System.getProperty(KafkaAuth.KEY);
        try {
            System.setProperty(KafkaAuth.KEY, "msk-iam");
            assertThat(KafkaAuth.configured()).isEqualTo(KafkaAuth.MSK_IAM);
            System.setProperty(KafkaAuth.KEY, "bogus");
            assertThatThrownBy(KafkaAuth::configured).hasMessageContaining("BLOCKS_KAFKA_AUTH");
        } finally {
            if (before == null) {
                System.clearProperty(KafkaAuth.KEY);
            } else {
                System.setProperty(KafkaAuth.KEY, before);
            }
        }
    }
}
