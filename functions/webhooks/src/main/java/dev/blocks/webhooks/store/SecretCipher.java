package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.SecretSet;

/**
 * Encrypts the secrets of a source or endpoint before they are stored, bound to the item they belong to
 * ({@code context}): a ciphertext copied onto another item does not decrypt. The cipher itself is the kit's
 * ({@link dev.blocks.kit.secrets.SecretCipher}: KMS in AWS, AES-GCM on the local cloud); this only turns a secret
 * set into the text it seals ({@link SecretText}). An interface, so CDI can hand out a lazy proxy of it.
 */
public interface SecretCipher {

    String encrypt(SecretSet secrets, String context);

    SecretSet decrypt(String ciphertext, String context);

    /** {@code cipher} with decrypted sets kept in process for {@code ttl} (see {@link CachedSecrets}). */
    static SecretCipher cached(SecretCipher cipher, java.time.Duration ttl, java.util.function.LongSupplier nanoClock) {
        return new CachedSecrets(cipher, ttl, nanoClock);
    }

    static SecretCipher sealedWith(dev.blocks.kit.secrets.SecretCipher cipher) {
        return new SecretCipher() {
            @Override
            public String encrypt(SecretSet secrets, String context) {
                return cipher.encrypt(SecretText.encode(secrets), context);
            }

            @Override
            public SecretSet decrypt(String ciphertext, String context) {
                return SecretText.decode(cipher.decrypt(ciphertext, context));
            }
        };
    }
}
