package dev.blocks.kit.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.lambda.LambdaFunction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * The admin command for API keys, a function reached only through the Invoke API (IAM-protected, no route):
 * {@code {"action":"create","owner":"alice"}} → the new key, shown once;
 * {@code {"action":"import","owner":"local","apiKey":"..."}} registers a chosen key (local seeding);
 * {@code {"action":"revoke","apiKey":"..."}}. Owners starting with {@code jwt:} are refused (see {@link Caller}).
 * Only IAM principals named in Terraform ({@code admin_principal_arns} of modules/identity) may invoke it.
 */
@ApplicationScoped
@Named(ApiKeyAdmin.NAME)
public class ApiKeyAdmin implements LambdaFunction {

    static final String NAME = "api-keys";

    private final ApiKeyStore keys;

    ApiKeyAdmin(ApiKeyStore keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode invoke(JsonNode event) {
        String action = event.path("action").asText("");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (action) {
            case "create", "import" -> {
                String owner = event.path("owner").asText("");
                if (owner.isBlank() || owner.length() > 128) {
                    throw new IllegalArgumentException("owner is required (at most 128 characters)");
                }
                if (Caller.isJwtOwner(owner)) {
                    throw new IllegalArgumentException("owner must not start with " + Caller.JWT_PREFIX
                            + ": that namespace belongs to token users");
                }
                ApiKeyStore.IssuedKey issued = action.equals("create")
                        ? keys.issue(owner)
                        : keys.importKey(owner, event.path("apiKey").asText(""));
                out.put("keyId", issued.keyId()).put("owner", issued.owner()).put("apiKey", issued.secret());
            }
            case "revoke" -> out.put("revoked", keys.revoke(event.path("apiKey").asText("")));
            default -> throw new IllegalArgumentException("action must be create, import or revoke");
        }
        return out;
    }
}
