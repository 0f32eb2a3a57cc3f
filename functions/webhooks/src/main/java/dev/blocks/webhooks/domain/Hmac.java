package dev.blocks.webhooks.domain;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** An HMAC algorithm ({@code HmacSHA256}, {@code HmacSHA512}) over messages made of several parts. */
public record Hmac(String algorithm) {

    public static final Hmac SHA256 = new Hmac("HmacSHA256");
    public static final Hmac SHA512 = new Hmac("HmacSHA512");

    public byte[] digest(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
