package dev.blocks.uploads.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of an upload: PENDING (URLs handed out) → UPLOADING (the client is sending parts) → one of COMPLETED
 * (the object is there and matches what was declared), FAILED (it is there and does not), EXPIRED (nothing came
 * in time) or ABORTED (the client gave up). The last four are final; a single-request upload may skip UPLOADING.
 */
public enum UploadStatus {
    PENDING, UPLOADING, COMPLETED, FAILED, EXPIRED, ABORTED;

    public boolean open() {
        return this == PENDING || this == UPLOADING;
    }

    public boolean canBecome(UploadStatus next) {
        return open() && next != PENDING && next != this;
    }

    /** The statuses a write to this status must find (the condition of the conditional write). */
    public Set<UploadStatus> predecessors() {
        Set<UploadStatus> from = EnumSet.noneOf(UploadStatus.class);
        for (UploadStatus status : values()) {
            if (status.canBecome(this)) {
                from.add(status);
            }
        }
        return from;
    }
}
