package dev.blocks.webhooks.domain;

import dev.blocks.kit.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Standard Webhooks (standardwebhooks.com): the signed content is {@code id.timestamp.body}, the key is the
 * base64 part of a {@code whsec_} secret, and {@code webhook-signature} lists space-separated {@code v1,<base64>}
 * signatures, one per active secret, so that receivers keep verifying across a rotation.
 */
public final class StandardSignatures implements Signatures {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    private static final byte[] DOT = {'.'};

    @Override
    public byte[] key(String secret) {
        return WebhookSecret.standardKey(secret);
    }

    @Override
    public Map<String, String> sign(String id, Instant timestamp, byte[] body, List<byte[]> keys) {
        String seconds = Long.toString(timestamp.getEpochSecond());
        List<String> signatures = new ArrayList<>();
        for (byte[] key : keys) {
            signatures.add("v1," + Base64.getEncoder().encodeToString(mac(key, id, seconds, body)));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, id);
        headers.put(TIMESTAMP, seconds);
        headers.put(SIGNATURE, String.join(" ", signatures));
        return headers;
    }

    @Override
    public Verification verify(Map<String, String> headers, byte[] body, List<byte[]> keys, Instant now, Duration tolerance) {
        String id = headers.get(ID);
        String seconds = headers.get(TIMESTAMP);
        String header = headers.get(SIGNATURE);
        if (header == null || header.isBlank()) {
            return Verification.rejected(Verification.Rejection.MISSING_SIGNATURE);
        }
        if (id == null || id.isBlank()) {
            return Verification.rejected(Verification.Rejection.MISSING_ID);
        }
        Instant timestamp = ReplayWindow.epochSeconds(seconds);
        if (timestamp == null) {
            return Verification.rejected(Verification.Rejection.MISSING_TIMESTAMP);
        }
        if (!ReplayWindow.within(timestamp, now, tolerance)) {
            return Verification.rejected(Verification.Rejection.STALE_TIMESTAMP);
        }
        List<byte[]> candidates = new ArrayList<>();
        for (String part : header.trim().split(" +")) {
            if (part.startsWith("v1,")) {
                try {
                    candidates.add(Base64.getDecoder().decode(part.substring(3)));
                } catch (IllegalArgumentException e) {
                    // Not base64: cannot match; other entries may still.
                }
            }
        }
        if (candidates.isEmpty()) {
            return Verification.rejected(Verification.Rejection.MALFORMED_SIGNATURE);
        }
        for (byte[] key : keys) {
            byte[] expected = mac(key, id, seconds, body);
            for (byte[] candidate : candidates) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return Verification.accepted(id);
                }
            }
        }
        return Verification.rejected(Verification.Rejection.MISMATCH);
    }

    private static byte[] mac(byte[] key, String id, String seconds, byte[] body) {
        return Hmac.SHA256.digest(key, id.getBytes(StandardCharsets.UTF_8), DOT,
                seconds.getBytes(StandardCharsets.US_ASCII), DOT, body);
    }
}
