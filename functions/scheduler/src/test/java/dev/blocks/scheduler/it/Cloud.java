package dev.blocks.scheduler.it;

import dev.blocks.localcloud.junit.LocalCloudExtension;

/** The one local cloud every integration test of the module shares: the scheduler's own Terraform stack. */
public final class Cloud {

    public static final String PREFIX = "sch";
    /** The run queue's visibility timeout in the test stack: an attempt's lease. */
    static final int RUN_LEASE_SECONDS = 45;
    /**
     * Batches of the run queue the local cloud's event source mapping hands to jobs-worker at the same time: it
     * runs three pollers on a standard queue, so a burst is at most three batches at once.
     */
    static final int WORKER_POLLERS = 3;

    private Cloud() {}

    public static LocalCloudExtension extension() {
        return LocalCloudExtension.terraform("functions/scheduler/terraform");
    }
}
