package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard of the deployed functions, which is on: only {@code receiver.blocks.test} may be private (the
 * test stack's one exception). Registration refuses internal destinations; delivery refuses a name that was
 * public at registration and resolves to loopback by the time of delivery (DNS rebinding), without calling it.
 */
class SsrfIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String key;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() throws Exception {
        api = new Api(CLOUD);
        key = api.newOwnerKey("ssrf");
        receiver = Receiver.start(0);
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "loopback.blocks.test",
            "localhost", "[::ffff:127.0.0.1]", "[fd00:ec2::254]", "2130706433"})
    void registrationRefusesInternalDestinations(String host) {
        String url = "http://" + host + ":" + receiver.port() + "/ssrf";

        HttpResponse<String> response = api.call("POST", "/v1/endpoints", key, "{\"url\":\"" + url + "\"}");

        assertThat(response.statusCode()).as(url).isEqualTo(400);
        assertThat(Api.json(response).path("errors").get(0).path("field").asText()).isEqualTo("url");
    }

    @Test
    void anEndpointCannotBeMovedInsideEither() {
        String id = api.expect(201, "POST", "/v1/endpoints", key, "{\"url\":\"" + receiver.url("/fine") + "\"}").path("id").asText();

        assertThat(api.call("PATCH", "/v1/endpoints/" + id, key, "{\"url\":\"http://169.254.169.254/latest/meta-data\"}")
                .statusCode()).isEqualTo(400);
        assertThat(api.call("PATCH", "/v1/endpoints/" + id, key, "{\"url\":\"file:///etc/passwd\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void aNameReboundToLoopbackAfterRegistrationIsRefusedAtDelivery() {
        String host = "rebind-" + UUID.randomUUID().toString().substring(0, 8) + ".blocks.test";
        Cloud.map(host, "93.184.216.34");
        String url = "http://" + host + ":" + receiver.port() + "/rebound";
        JsonNode endpoint = api.expect(201, "POST", "/v1/endpoints", key, "{\"url\":\"" + url + "\",\"events\":[\"rebind.test\"]}");
        Cloud.map(host, "127.0.0.1");

        String messageId = api.expect(202, "POST", "/v1/events", key, "{\"type\":\"rebind.test\",\"payload\":{}}")
                .path("messages").get(0).path("id").asText();

        JsonNode attempts = Api.pollUntil(Duration.ofSeconds(60),
                () -> api.expect(200, "GET", "/v1/messages/" + messageId + "/attempts", key, null).path("attempts"),
                a -> a.size() > 0);
        assertThat(attempts.get(0).path("status").asInt()).isZero();
        assertThat(attempts.get(0).path("error").asText()).startsWith("refused").contains("127.0.0.1");
        assertThat(receiver.requests("/rebound")).isEmpty();
        api.expect(204, "DELETE", "/v1/endpoints/" + endpoint.path("id").asText(), key, null);
    }
}
