package dev.blocks.localcloud.emulators;

/**
 * An object written to the local S3, as S3 event notifications describe it.
 *
 * @param key       the object key, not encoded
 * @param eTag      without quotes
 * @param eventName the suffix of {@code ObjectCreated:}: {@code Put}, {@code Post} (browser form upload),
 *                  {@code Copy} or {@code CompleteMultipartUpload}
 * @param sequencer hexadecimal, fixed width, increasing with every write of this emulator
 */
public record ObjectCreated(String bucket, String key, long size, String eTag, String eventName, String sequencer) {

    public static final String PUT = "Put";
    public static final String POST = "Post";
    public static final String COPY = "Copy";
    public static final String COMPLETE_MULTIPART_UPLOAD = "CompleteMultipartUpload";
}
