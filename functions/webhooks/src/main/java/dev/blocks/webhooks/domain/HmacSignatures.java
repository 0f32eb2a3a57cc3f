package dev.blocks.webhooks.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plain HMAC of the body in one header, as many providers do it; see {@link HmacOptions}. No timestamp, and the
 * id header is not signed: events are deduped on the body's digest ({@link EventKey#BODY_DIGEST}).
 */
public final class HmacSignatures implements Signatures {

    private final HmacOptions options;

    public HmacSignatures(HmacOptions options) {
        this.options = options == null ? HmacOptions.DEFAULT : options;
    }

    @Override
    public byte[] key(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, String> sign(String id, Instant timestamp, byte[] body, List<byte[]> keys) {
        byte[] mac = options.hmac().digest(keys.get(0), body);
        String encoded = options.encoding().equals("hex") ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(options.header(), options.prefix() + encoded);
        if (options.idHeader() != null && id != null) {
            headers.put(options.idHeader(), id);
        }
        return headers;
    }

    @Override
    public Verification verify(Map<String, String> headers, byte[] body, List<byte[]> keys, Instant now, Duration tolerance) {
        String header = headers.get(options.header());
        if (header == null || header.isBlank()) {
            return Verification.rejected(Verification.Rejection.MISSING_SIGNATURE);
        }
        if (!header.startsWith(options.prefix())) {
            return Verification.rejected(Verification.Rejection.MALFORMED_SIGNATURE);
        }
        String encoded = header.substring(options.prefix().length()).trim();
        byte[] candidate;
        try {
            candidate = options.encoding().equals("hex") ? HexFormat.of().parseHex(encoded) : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return Verification.rejected(Verification.Rejection.MALFORMED_SIGNATURE);
        }
        for (byte[] key : keys) {
            if (MessageDigest.isEqual(options.hmac().digest(key, body), candidate)) {
                return Verification.accepted(null);
            }
        }
        return Verification.rejected(Verification.Rejection.MISMATCH);
    }

    @Override
    public Optional<String> deliveryId(Map<String, String> headers) {
        return options.idHeader() == null ? Optional.empty()
                : Optional.ofNullable(headers.get(options.idHeader())).filter(s -> !s.isBlank());
    }
}
