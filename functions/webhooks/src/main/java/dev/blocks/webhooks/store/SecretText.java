package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.SecretSet;
import java.util.Arrays;
import java.util.List;

/** The plaintext form of a secret set: the secrets, newest first, one per line (secrets have no whitespace). */
final class SecretText {

    private SecretText() {}

    static String encode(SecretSet secrets) {
        return String.join("\n", secrets.secrets());
    }

    static SecretSet decode(String plaintext) {
        List<String> secrets = Arrays.asList(plaintext.split("\n"));
        return new SecretSet(secrets);
    }
}
