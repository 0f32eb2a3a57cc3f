package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.SecretSet;

/**
 * Encrypts the secrets of a source or endpoint before they are stored, bound to the item they belong to
 * ({@code context}): a ciphertext copied onto another item does not decrypt. In AWS this is KMS with a
 * customer-managed key ({@link KmsCipher}); the local cloud has no KMS, so there an AES-GCM key from
 * configuration plays its part ({@link AesGcmCipher}) behind the same interface.
 */
public interface SecretCipher {

    String encrypt(SecretSet secrets, String context);

    SecretSet decrypt(String ciphertext, String context);
}
