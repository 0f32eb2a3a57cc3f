package dev.blocks.uploads.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.uploads.domain.MediaType;
import dev.blocks.uploads.domain.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A signed S3 POST policy (Signature Version 4) for one browser form upload: exactly this bucket and key, exactly
 * this Content-Type, a {@code content-length-range} of exactly the declared size, and the declared SHA-256 when
 * there is one. The AWS SDK for Java v2 has no POST policy signer; signing is a few local HMACs, no network.
 */
final class PostPolicy {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PostPolicy() {}

    /** The form fields, in the order S3 expects them (the file comes after all of them). */
    static Map<String, String> fields(SigningCredentials signer, String region, String bucket, String key,
                                      MediaType contentType, long size,
                                      Optional<Sha256> sha256, Instant now, Instant expiresAt) {
        String credential = signer.accessKeyId() + "/" + DAY.format(now) + "/" + region + "/s3/aws4_request";
        String date = STAMP.format(now);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", contentType.toString());
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", date);
        signer.sessionToken().ifPresent(token -> fields.put("x-amz-security-token", token));
        sha256.ifPresent(digest -> fields.put("x-amz-checksum-sha256", digest.base64()));

        ObjectNode policy = JSON.createObjectNode();
        policy.put("expiration", EXPIRATION.format(expiresAt));
        ArrayNode conditions = policy.putArray("conditions");
        conditions.addObject().put("bucket", bucket);
        fields.forEach((name, value) -> conditions.addObject().put(name, value));
        conditions.addArray().add("content-length-range").add(size).add(size);
        String encoded = Base64.getEncoder().encodeToString(policy.toString().getBytes(StandardCharsets.UTF_8));

        fields.put("policy", encoded);
        fields.put("x-amz-signature", HexFormat.of().formatHex(
                Sigv4.hmac(Sigv4.signingKey(signer.secretAccessKey(), DAY.format(now), region), encoded)));
        return fields;
    }
}
