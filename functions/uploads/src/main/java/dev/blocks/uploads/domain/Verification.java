package dev.blocks.uploads.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares what a client declared with what S3 stored. The signed URL already makes S3 refuse most lies; this is
 * the check that holds whatever path the bytes took (a form POST, a completed multipart upload, a replayed URL).
 *
 * @param mismatches empty when the object is what was declared
 * @param sha256Verified the object's SHA-256 is known and equals the declared one: only then may the file answer
 *     a later upload of the same content (dedup)
 */
public record Verification(List<String> mismatches, boolean sha256Verified) {

    public boolean accepted() {
        return mismatches.isEmpty();
    }

    public static Verification of(long declaredSize, MediaType declaredType, Optional<Sha256> declaredSha256,
                                  StoredObject stored) {
        List<String> mismatches = new ArrayList<>();
        if (stored.size() != declaredSize) {
            mismatches.add("size is " + stored.size() + " bytes, " + declaredSize + " were declared");
        }
        Optional<MediaType> storedType = MediaType.parse(stored.contentType());
        if (storedType.isEmpty() || !storedType.get().equals(declaredType)) {
            mismatches.add("content type is " + stored.contentType() + ", " + declaredType + " was declared");
        }
        boolean verified = false;
        if (declaredSha256.isPresent() && stored.sha256().isPresent()) {
            if (declaredSha256.get().equals(stored.sha256().get())) {
                verified = true;
            } else {
                mismatches.add("SHA-256 is " + stored.sha256().get() + ", " + declaredSha256.get() + " was declared");
            }
        }
        return new Verification(List.copyOf(mismatches), verified && mismatches.isEmpty());
    }
}
