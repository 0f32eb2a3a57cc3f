package dev.blocks.webhooks.domain;

import java.util.Optional;

/**
 * The verdict on one request: accepted (with the event id the signature covers, if the scheme signs one) or rejected
 * with a reason. An id from an unsigned header is never put here: a replayer could change it at will.
 */
public record Verification(Rejection rejection, String eventId) {

    /** Why a request was refused; the reason is safe to show the sender (it reveals nothing about the secret). */
    public enum Rejection {
        MISSING_SIGNATURE("no signature header"),
        MALFORMED_SIGNATURE("the signature header is malformed"),
        MISSING_TIMESTAMP("no valid timestamp"),
        STALE_TIMESTAMP("the timestamp is outside the tolerance window"),
        MISSING_ID("no message id"),
        MISMATCH("no signature matches");

        private final String detail;

        Rejection(String detail) {
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }
    }

    public static Verification accepted(String eventId) {
        return new Verification(null, eventId);
    }

    public static Verification rejected(Rejection rejection) {
        return new Verification(rejection, null);
    }

    public boolean valid() {
        return rejection == null;
    }

    public Optional<String> id() {
        return Optional.ofNullable(eventId).filter(s -> !s.isBlank());
    }
}
