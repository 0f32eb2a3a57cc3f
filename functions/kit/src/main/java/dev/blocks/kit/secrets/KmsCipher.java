package dev.blocks.kit.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * KMS Encrypt/Decrypt with the deployment's customer-managed key, the item as encryption context (so a
 * ciphertext only decrypts for the item it was written for, and CloudTrail names the item on every use). Secrets
 * are a few hundred bytes to a few KiB, under KMS's 4 KiB plaintext limit, so no data key is needed. Stored form:
 * {@code kms:} + base64 of the ciphertext blob.
 */
public final class KmsCipher implements SecretCipher {

    private static final String PREFIX = "kms:";

    private final KmsClient kms;
    private final String keyId;

    public KmsCipher(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public String encrypt(String plaintext, String context) {
        byte[] blob = kms.encrypt(b -> b.keyId(keyId)
                        .plaintext(SdkBytes.fromString(plaintext, StandardCharsets.UTF_8))
                        .encryptionContext(Map.of("item", context)))
                .ciphertextBlob().asByteArray();
        return PREFIX + Base64.getEncoder().encodeToString(blob);
    }

    @Override
    public String decrypt(String ciphertext, String context) {
        if (!ciphertext.startsWith(PREFIX)) {
            throw new IllegalStateException("not a KMS secret (was it written with the local AES key?)");
        }
        byte[] blob = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length()));
        return kms.decrypt(b -> b.keyId(keyId)
                        .ciphertextBlob(SdkBytes.fromByteArray(blob))
                        .encryptionContext(Map.of("item", context)))
                .plaintext().asString(StandardCharsets.UTF_8);
    }
}
