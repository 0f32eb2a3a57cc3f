package dev.blocks.webhooks.domain;

import dev.blocks.kit.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Stripe's scheme: {@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>]}, the hex HMAC-SHA256 of
 * {@code t.body} keyed with the whole secret string (its {@code whsec_} prefix included). Stripe puts no event id
 * in a header; the receiver takes it from the JSON body.
 */
public final class StripeSignatures implements Signatures {

    public static final String SIGNATURE = "stripe-signature";
    private static final byte[] DOT = {'.'};

    @Override
    public byte[] key(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, String> sign(String id, Instant timestamp, byte[] body, List<byte[]> keys) {
        String seconds = Long.toString(timestamp.getEpochSecond());
        StringBuilder header = new StringBuilder("t=").append(seconds);
        for (byte[] key : keys) {
            header.append(",v1=").append(HexFormat.of().formatHex(mac(key, seconds, body)));
        }
        return Map.of(SIGNATURE, header.toString());
    }

    @Override
    public Verification verify(Map<String, String> headers, byte[] body, List<byte[]> keys, Instant now, Duration tolerance) {
        String header = headers.get(SIGNATURE);
        if (header == null || header.isBlank()) {
            return Verification.rejected(Verification.Rejection.MISSING_SIGNATURE);
        }
        String seconds = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (name.equals("t")) {
                seconds = value;
            } else if (name.equals("v1")) {
                try {
                    candidates.add(HexFormat.of().parseHex(value));
                } catch (IllegalArgumentException e) {
                    // Not hex: cannot match; other entries may still.
                }
            }
        }
        Instant timestamp = ReplayWindow.epochSeconds(seconds);
        if (timestamp == null) {
            return Verification.rejected(Verification.Rejection.MISSING_TIMESTAMP);
        }
        if (!ReplayWindow.within(timestamp, now, tolerance)) {
            return Verification.rejected(Verification.Rejection.STALE_TIMESTAMP);
        }
        if (candidates.isEmpty()) {
            return Verification.rejected(Verification.Rejection.MALFORMED_SIGNATURE);
        }
        for (byte[] key : keys) {
            byte[] expected = mac(key, seconds, body);
            for (byte[] candidate : candidates) {
                if (MessageDigest.isEqual(expected, candidate)) {
                    return Verification.accepted(null);
                }
            }
        }
        return Verification.rejected(Verification.Rejection.MISMATCH);
    }

    private static byte[] mac(byte[] key, String seconds, byte[] body) {
        return Hmac.SHA256.digest(key, seconds.getBytes(StandardCharsets.US_ASCII), DOT, body);
    }
}
