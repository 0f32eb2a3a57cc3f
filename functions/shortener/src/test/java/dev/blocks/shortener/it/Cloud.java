package dev.blocks.shortener.it;

import dev.blocks.localcloud.junit.LocalCloudExtension;

/** The one local cloud every integration test of the module shares: the shortener's own Terraform stack. */
final class Cloud {

    static final String PREFIX = "sh";
    static final String TABLE = PREFIX + "-links";

    private Cloud() {}

    static LocalCloudExtension extension() {
        return LocalCloudExtension.terraform("functions/shortener/terraform");
    }
}
