package dev.blocks.scheduler.domain;

import dev.blocks.kit.crypto.Sha256Hash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Job ids: random, or derived from the owner and the client's idempotency key. A derived id turns "a repeated
 * idempotencyKey returns the first job" into one conditional put on the job itself, with no second record.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private JobIds() {}

    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "job_" + encode(bytes);
    }

    public static String forIdempotencyKey(String owner, String key) {
        return "job_" + encode(java.util.Arrays.copyOf(Sha256Hash.of(owner + "\n" + key), 16));
    }

    /** Which of {@code shards} partitions a job's index entries go to: a stable hash of its id. */
    public static int shardOf(String jobId, int shards) {
        CRC32 crc = new CRC32();
        crc.update(jobId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    /** Whether {@code id} has the shape of a job id (cheap refusal before any lookup). */
    public static boolean wellFormed(String id) {
        return id != null && id.length() == 30 && id.startsWith("job_")
                && id.substring(4).toLowerCase(Locale.ROOT).equals(id.substring(4))
                && id.substring(4).chars().allMatch(c -> new String(ALPHABET).indexOf(c) >= 0);
    }

    private static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
