package dev.blocks.kit.secrets;

import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Encrypts a secret (a webhook's signing secrets, a scheduled call's headers) before it is stored, bound to the
 * item it belongs to ({@code context}): a ciphertext copied onto another item does not decrypt. In AWS this is
 * KMS with a customer-managed key ({@link KmsCipher}); the local cloud has no KMS, so there an AES-GCM key from
 * configuration plays its part ({@link AesGcmCipher}) behind the same interface. The stored form names its
 * cipher ({@code kms:} or {@code aes:}), so a value written by the other one is refused, never misread.
 */
public interface SecretCipher {

    String encrypt(String plaintext, String context);

    String decrypt(String ciphertext, String context);

    /**
     * The cipher a deployment configured: {@code kms} (AWS, LocalStack; region and credentials from Lambda's
     * environment, {@code AWS_ENDPOINT_URL_KMS} points it elsewhere) with {@code kmsKeyId}, or {@code aes-gcm} (the
     * local cloud) with {@code localKey}. {@code configPrefix} names the configuration in the error when one is
     * missing, e.g. {@code blocks.webhooks.secrets}.
     */
    static SecretCipher configured(String kind, Optional<String> kmsKeyId, Optional<String> localKey, String configPrefix) {
        return switch (kind) {
            case "aes-gcm" -> new AesGcmCipher(localKey.filter(k -> !k.isBlank()).orElseThrow(
                    () -> new IllegalStateException(configPrefix + ".cipher=aes-gcm needs " + configPrefix + ".local-key")));
            case "kms" -> {
                String keyId = kmsKeyId.filter(k -> !k.isBlank()).orElseThrow(
                        () -> new IllegalStateException(configPrefix + ".cipher=kms needs " + configPrefix + ".kms-key-id"));
                yield new KmsCipher(KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(), keyId);
            }
            default -> throw new IllegalStateException(configPrefix + ".cipher must be kms or aes-gcm, not " + kind);
        };
    }
}
