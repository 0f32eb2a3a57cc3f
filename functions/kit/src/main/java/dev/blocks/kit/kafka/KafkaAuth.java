package dev.blocks.kit.kafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How this deployment's Kafka clients authenticate ({@code blocks.kafka.auth}, {@code BLOCKS_KAFKA_AUTH}): nothing
 * (unset or {@code none}: local Kafka, a self-managed cluster) or {@code msk-iam} (MSK with IAM access control,
 * what Terraform sets for the stack's MSK Serverless). Every place that builds a Kafka client adds
 * {@link #clientSettings()} to its properties, so producers and consumers never differ in how they connect.
 *
 * <p>The settings are strings, not classes: the kit does not depend on kafka-clients or on the MSK library; a
 * module that talks to MSK carries {@code software.amazon.msk:aws-msk-iam-auth}, whose login module and callback
 * handler sign each connection's SASL handshake with the function's credentials (the AWS SDK's default chain:
 * on Lambda the role's credentials from the environment). Kafka loads both by name.
 */
public enum KafkaAuth {

    NONE("none", Map.of()),
    MSK_IAM("msk-iam", mskIam());

    /** The configuration key; its environment variable is {@link #VARIABLE}. */
    public static final String KEY = "blocks.kafka.auth";
    public static final String VARIABLE = "BLOCKS_KAFKA_AUTH";

    private final String value;
    private final Map<String, String> settings;

    KafkaAuth(String value, Map<String, String> settings) {
        this.value = value;
        this.settings = settings;
    }

    private static Map<String, String> mskIam() {
        Map<String, String> settings = new LinkedHashMap<>();
        // TLS is implied: MSK's IAM listener (port 9098) is TLS only.
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "AWS_MSK_IAM");
        settings.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
        settings.put("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
        return Map.copyOf(settings);
    }

    /** The value as written in configuration. */
    public String value() {
        return value;
    }

    /** The Kafka client settings this mode adds (none for {@link #NONE}). */
    public Map<String, String> clientSettings() {
        return settings;
    }

    /** Adds {@link #clientSettings()} to a client's properties, replacing any of the same names. */
    public Properties applyTo(Properties clientProperties) {
        clientProperties.putAll(settings);
        return clientProperties;
    }

    /**
     * Reads a configured value: absent or blank is {@link #NONE}; anything else must be {@code none} or
     * {@code msk-iam} (case-insensitive), else the function refuses to start, naming the variable.
     */
    public static KafkaAuth parse(Optional<String> configured) {
        String value = configured.map(String::trim).orElse("");
        if (value.isEmpty()) {
            return NONE;
        }
        for (KafkaAuth auth : values()) {
            if (auth.value.equals(value.toLowerCase(Locale.ROOT))) {
                return auth;
            }
        }
        throw new IllegalStateException(VARIABLE + " (" + KEY + ") is '" + value
                + "': expected 'none' (or unset) or 'msk-iam'");
    }

    /** The deployment's setting, from the function's configuration (environment, system properties, application.properties). */
    public static KafkaAuth configured() {
        return parse(ConfigProvider.getConfig().getOptionalValue(KEY, String.class));
    }
}
