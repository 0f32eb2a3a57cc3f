package dev.blocks.uploads.domain;

import dev.blocks.kit.crypto.Sha256Hash;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an upload's object lives: {@code {prefix}{owner}/{yyyy}/{mm}/{uploadId}}. Nothing the client typed goes
 * into a key except through {@link #ownerSegment}: a plain owner id stays readable, anything else (a slash, a
 * {@code |} from an identity provider, non-ASCII) becomes {@code ~} and the SHA-256 of the owner, so one owner
 * always maps to one segment and no owner can reach into another's. The month segments keep listings and
 * lifecycle rules cheap.
 */
public final class ObjectKey {

    private static final Pattern PLAIN_OWNER = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    private static final Pattern LAYOUT = Pattern.compile(
            "([A-Za-z0-9._~-]{1,65})/([0-9]{4})/(0[1-9]|1[0-2])/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    private ObjectKey() {}

    public static String of(String prefix, String owner, Instant createdAt, UUID uploadId) {
        requirePrefix(prefix);
        ZonedDateTime utc = createdAt.atZone(ZoneOffset.UTC);
        return prefix + ownerSegment(owner) + "/" + String.format("%04d/%02d/", utc.getYear(), utc.getMonthValue())
                + uploadId;
    }

    /** The upload id a key belongs to, when the key has this layout under {@code prefix}. */
    public static Optional<UUID> uploadIdOf(String prefix, String key) {
        requirePrefix(prefix);
        if (key == null || !key.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher m = LAYOUT.matcher(key.substring(prefix.length()));
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(m.group(4)));
    }

    public static String ownerSegment(String owner) {
        if (owner == null || owner.isEmpty()) {
            throw new IllegalArgumentException("an upload needs an owner");
        }
        if (PLAIN_OWNER.matcher(owner).matches()) {
            return owner;
        }
        return "~" + Sha256Hash.hex(owner);
    }

    private static void requirePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/")) {
            throw new IllegalArgumentException("a key prefix ends with / and does not start with one: " + prefix);
        }
    }
}
