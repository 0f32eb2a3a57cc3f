package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.SecretSet;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The plaintext form of a secret set: the secrets, newest first, one per line (secrets have no whitespace). */
final class SecretText {

    private SecretText() {}

    static byte[] encode(SecretSet secrets) {
        return String.join("\n", secrets.secrets()).getBytes(StandardCharsets.UTF_8);
    }

    static SecretSet decode(byte[] plaintext) {
        List<String> secrets = Arrays.asList(new String(plaintext, StandardCharsets.UTF_8).split("\n"));
        return new SecretSet(secrets);
    }
}
