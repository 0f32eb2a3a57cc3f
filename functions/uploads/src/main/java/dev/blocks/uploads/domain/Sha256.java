package dev.blocks.uploads.domain;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A SHA-256 digest. The API speaks lower-case hex (what {@code sha256sum} prints); S3 speaks base64 in
 * {@code x-amz-checksum-sha256}.
 */
public record Sha256(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Sha256 {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a SHA-256 is 64 hex digits");
        }
    }

    public static Optional<Sha256> parseHex(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String lower = text.trim().toLowerCase(Locale.ROOT);
        return HEX.matcher(lower).matches() ? Optional.of(new Sha256(lower)) : Optional.empty();
    }

    /**
     * From S3's base64 checksum. A multipart object's checksum is a checksum of part checksums ({@code ...-3}),
     * not the digest of the content: that is no SHA-256 of the file and gives empty.
     */
    public static Optional<Sha256> parseBase64(String text) {
        if (text == null || text.contains("-")) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text.trim());
            return bytes.length == 32 ? Optional.of(new Sha256(HexFormat.of().formatHex(bytes))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    @Override
    public String toString() {
        return hex;
    }
}
