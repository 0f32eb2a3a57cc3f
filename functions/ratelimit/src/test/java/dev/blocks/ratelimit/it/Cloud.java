package dev.blocks.ratelimit.it;

import dev.blocks.localcloud.junit.LocalCloudExtension;

/** The one local cloud every integration test of the module shares (functions/ratelimit/terraform). */
final class Cloud {

    static final String PREFIX = "ratelimit-it";
    /** The rule the test stack configures (BLOCKS_RATELIMIT_RULES): gcra, 1 000 000 per minute. */
    static final String CONFIGURED_RULE = "configured-global";
    /** The only owner the test stack lets use the admin API. */
    static final String ADMIN_OWNER = "ops";

    private Cloud() {}

    static LocalCloudExtension extension() {
        return LocalCloudExtension.terraform("functions/ratelimit/terraform");
    }
}
