package dev.blocks.scheduler.targets;

/** An attempt that did not reach or did not satisfy its target; the message says what happened, for the run record. */
public final class DeliveryFailed extends Exception {

    public DeliveryFailed(String message) {
        super(message, null, false, false);
    }

    public DeliveryFailed(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
