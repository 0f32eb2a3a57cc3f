package dev.blocks.scheduler.it;

import dev.blocks.localcloud.junit.LocalCloudExtension;

/** The one local cloud every integration test of the module shares: the scheduler's own Terraform stack. */
final class Cloud {

    static final String PREFIX = "sch";
    /** The run queue's visibility timeout in the test stack: an attempt's lease. */
    static final int RUN_LEASE_SECONDS = 45;

    private Cloud() {}

    static LocalCloudExtension extension() {
        return LocalCloudExtension.terraform("functions/scheduler/terraform");
    }
}
