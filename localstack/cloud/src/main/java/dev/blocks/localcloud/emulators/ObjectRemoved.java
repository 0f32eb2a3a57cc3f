package dev.blocks.localcloud.emulators;

/**
 * An object deleted from the local S3, as S3 event notifications describe it.
 *
 * @param key       the object key, not encoded
 * @param eventName the suffix of {@code ObjectRemoved:}; {@code Delete} (the local S3 has no versioning, so no
 *                  {@code DeleteMarkerCreated})
 * @param sequencer hexadecimal, fixed width, increasing with every write or delete of this emulator
 */
public record ObjectRemoved(String bucket, String key, String eventName, String sequencer) {

    public static final String DELETE = "Delete";
}
