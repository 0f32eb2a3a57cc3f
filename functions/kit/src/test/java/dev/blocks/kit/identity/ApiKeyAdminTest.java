package dev.blocks.kit.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeyAdminTest {

    /** Records what would be written instead of writing it. */
    private static final class Keys extends ApiKeyStore {
        final List<String> owners = new ArrayList<>();

        Keys() {
            super(null, AuthenticatorTest.config(20, Duration.ofMinutes(1)));
        }

        @Override
        public IssuedKey importKey(String owner, String secret) {
            owners.add(owner);
            return new IssuedKey("key_1", owner, secret);
        }
    }

    private final Keys keys = new Keys();
    private final ApiKeyAdmin admin = new ApiKeyAdmin(keys);

    private static ObjectNode command(String action, String owner) {
        return JsonNodeFactory.instance.objectNode().put("action", action).put("owner", owner)
                .put("apiKey", "bk_chosen_0123456789abcdefghij");
    }

    @Test
    void ownersInTheJwtNamespaceAreRefusedAndNothingIsWritten() {
        for (String action : List.of("create", "import")) {
            assertThatThrownBy(() -> admin.invoke(command(action, "jwt:https://issuer.test#alice")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jwt:");
            assertThatThrownBy(() -> admin.invoke(command(action, "jwt:")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(keys.owners).isEmpty();
    }

    @Test
    void otherOwnersAreIssuedKeys() {
        assertThat(admin.invoke(command("import", "alice")).path("owner").asText()).isEqualTo("alice");
        assertThat(admin.invoke(command("create", "JWT-team")).path("owner").asText()).isEqualTo("JWT-team");
        assertThat(keys.owners).containsExactly("alice", "JWT-team");
    }
}
