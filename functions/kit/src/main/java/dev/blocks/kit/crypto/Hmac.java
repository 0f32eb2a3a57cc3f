package dev.blocks.kit.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one HMAC: an algorithm ({@code HmacSHA256}, {@code HmacSHA512}) over a message made of several parts. Used
 * for webhook signatures, AWS Signature Version 4 and the shortener's visitor ids.
 */
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

    /** Over one text, as UTF-8. */
    public byte[] digest(byte[] key, String text) {
        return digest(key, text.getBytes(StandardCharsets.UTF_8));
    }
}
