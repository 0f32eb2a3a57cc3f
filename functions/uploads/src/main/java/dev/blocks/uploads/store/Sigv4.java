package dev.blocks.uploads.store;

import dev.blocks.kit.crypto.Hmac;
import java.nio.charset.StandardCharsets;

/** The two primitives of AWS Signature Version 4 for S3: the day's signing key, and HMAC-SHA256. */
final class Sigv4 {

    private Sigv4() {}

    /** {@code day} is {@code yyyyMMdd} (UTC). */
    static byte[] signingKey(String secretAccessKey, String day, String region) {
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, "s3");
        return hmac(key, "aws4_request");
    }

    static byte[] hmac(byte[] key, String data) {
        return Hmac.SHA256.digest(key, data);
    }
}
