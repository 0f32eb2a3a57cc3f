package dev.blocks.uploads.domain;

import dev.blocks.kit.validation.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a client says it is about to upload, checked against the limits: the file name (sanitised), the exact
 * size, the media type (allowed for the purpose) and optionally the SHA-256 of the content.
 */
public record Declaration(String filename, long size, MediaType contentType, Optional<Sha256> sha256, String purpose) {

    public static final int MAX_RAW_FILENAME_CHARS = 1024;

    /** Thrown with every problem of a declaration at once, so a client fixes them in one go. */
    public static final class Invalid extends RuntimeException {
        private final List<FieldError> problems;

        Invalid(List<FieldError> problems) {
            super(problems.toString(), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<FieldError> problems() {
            return problems;
        }
    }

    /** Raw values as they came in (null when absent). */
    public static Declaration check(String filename, Long size, String contentType, String sha256, String purpose,
                                    UploadLimits limits, ContentTypePolicy types) {
        List<FieldError> problems = new ArrayList<>();
        if (filename == null || filename.isBlank()) {
            problems.add(new FieldError("filename", "is required"));
        } else if (filename.length() > MAX_RAW_FILENAME_CHARS) {
            problems.add(new FieldError("filename", "at most " + MAX_RAW_FILENAME_CHARS + " characters"));
        }
        if (size == null) {
            problems.add(new FieldError("size", "is required (bytes)"));
        } else if (size < 0) {
            problems.add(new FieldError("size", "cannot be negative"));
        } else if (size > limits.maxSize()) {
            problems.add(new FieldError("size", "at most " + limits.maxSize() + " bytes"));
        }
        String purposeName = purpose == null ? "default" : purpose;
        if (!types.knows(purposeName)) {
            problems.add(new FieldError("purpose", "one of " + types.purposes()));
        }
        Optional<MediaType> type = MediaType.parse(contentType);
        if (contentType == null) {
            problems.add(new FieldError("contentType", "is required"));
        } else if (type.isEmpty()) {
            problems.add(new FieldError("contentType", "is not a media type (type/subtype)"));
        } else if (types.knows(purposeName) && !types.allows(purposeName, type.get())) {
            problems.add(new FieldError("contentType", type.get().essence() + " is not accepted for purpose "
                    + purposeName + " (accepted: " + String.join(", ", types.patterns(purposeName)) + ")"));
        }
        Optional<Sha256> digest = Sha256.parseHex(sha256);
        if (sha256 != null && digest.isEmpty()) {
            problems.add(new FieldError("sha256", "is 64 hex digits"));
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return new Declaration(Filename.sanitise(filename), size, type.get(), digest, purposeName);
    }
}
