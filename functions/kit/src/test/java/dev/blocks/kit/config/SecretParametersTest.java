package dev.blocks.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.kit.MotoServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Secrets from SecureString parameters encrypted with a customer key, on moto's SSM and KMS. */
class SecretParametersTest {

    private static MotoServer moto;
    private static SsmClient ssm;
    private static String keyId;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        ssm = moto.client(SsmClient.builder());
        try (KmsClient kms = moto.client(KmsClient.builder())) {
            keyId = kms.createKey(b -> b.description("stack key")).keyMetadata().keyId();
        }
    }

    @AfterAll
    static void stop() {
        ssm.close();
        moto.close();
    }

    private static void putSecret(String name, String value) {
        ssm.putParameter(b -> b.name(name).value(value).type(ParameterType.SECURE_STRING).keyId(keyId).overwrite(true));
    }

    @Test
    void listedPropertiesComeDecryptedFromTheirParameters() {
        putSecret("/t1/shortener/code-key", "7345912387412398741");
        putSecret("/t1/shortener/visitor-secret", "a visitor secret, 32 characters+");

        Map<String, String> values = SecretParameters.read(ssm, SecretParameters.parse(
                "blocks.shortener.codes.key=/t1/shortener/code-key, blocks.shortener.clicks.visitor-secret=/t1/shortener/visitor-secret"));

        assertThat(values).containsExactly(
                Map.entry("blocks.shortener.codes.key", "7345912387412398741"),
                Map.entry("blocks.shortener.clicks.visitor-secret", "a visitor secret, 32 characters+"));
        // What SSM stores is the KMS ciphertext, not the value: without decryption the value does not come back.
        assertThat(ssm.getParameter(b -> b.name("/t1/shortener/code-key").withDecryption(false)).parameter().value())
                .isNotEqualTo("7345912387412398741");
    }

    @Test
    void moreThanTenParametersAreReadInBatchesOfTen() {
        Map<String, String> parameterOf = new LinkedHashMap<>();
        for (int i = 0; i < 23; i++) {
            putSecret("/t2/p" + i, "value-" + i);
            parameterOf.put("app.secret" + i, "/t2/p" + i);
        }

        Map<String, String> values = SecretParameters.read(ssm, parameterOf);

        assertThat(values).hasSize(23);
        for (int i = 0; i < 23; i++) {
            assertThat(values).containsEntry("app.secret" + i, "value-" + i);
        }
    }

    @Test
    void aMissingParameterFailsTheStartNamingItAndNoValue() {
        putSecret("/t3/present", "the-present-value");

        assertThatThrownBy(() -> SecretParameters.read(ssm, SecretParameters.parse("a.b=/t3/present,c.d=/t3/absent")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/t3/absent")
                .hasMessageNotContaining("/t3/present")
                .hasMessageNotContaining("the-present-value");
    }

    @Test
    void theFactoryAddsTheSecretsToTheConfigurationWithOneClientPerStart() {
        putSecret("/t4/key", "from-ssm");
        AtomicInteger clients = new AtomicInteger();
        SecretParameters factory = new SecretParameters(() -> {
            clients.incrementAndGet();
            return moto.client(SsmClient.builder());
        });

        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of(SecretParameters.LIST, "blocks.shortener.codes.key=/t4/key",
                        "blocks.shortener.codes.key", "from-application-properties"), "application.properties", 250))
                .withSources(factory)
                .build();

        assertThat(config.getValue("blocks.shortener.codes.key", String.class)).isEqualTo("from-ssm");
        assertThat(config.getValue("blocks.shortener.codes.key", String.class)).isEqualTo("from-ssm");
        assertThat(clients).hasValue(1);
    }

    @Test
    void withoutTheListThereIsNoSourceAndNoCall() {
        AtomicInteger clients = new AtomicInteger();
        SecretParameters factory = new SecretParameters(() -> {
            clients.incrementAndGet();
            return moto.client(SsmClient.builder());
        });

        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("blocks.shortener.codes.key", "local"), "application.properties", 250))
                .withSources(factory)
                .build();

        assertThat(config.getValue("blocks.shortener.codes.key", String.class)).isEqualTo("local");
        assertThat(clients).hasValue(0);
    }

    @Test
    void malformedListsAreRefusedNamingTheEntry() {
        assertThat(SecretParameters.parse(" ")).isEmpty();
        assertThat(SecretParameters.parse("a=/x,,b=/y,")).containsExactly(Map.entry("a", "/x"), Map.entry("b", "/y"));
        assertThatThrownBy(() -> SecretParameters.parse("a=/x,b")).hasMessageContaining("'b'");
        assertThatThrownBy(() -> SecretParameters.parse("=/x")).hasMessageContaining("'=/x'");
        assertThatThrownBy(() -> SecretParameters.parse("a=")).hasMessageContaining("'a='");
        assertThatThrownBy(() -> SecretParameters.parse("a=/x=y")).hasMessageContaining("'a=/x=y'");
        assertThatThrownBy(() -> SecretParameters.parse("a=/x,a=/y")).hasMessageContaining("a is listed twice");
    }
}
