package dev.blocks.localcloud.plan;

import java.nio.file.Path;
import java.util.Map;

/** Terraform configurations the plan tests read, and one runner so that their plans are cached between runs. */
final class Fixtures {

    /** The module directory: Maven runs tests there. */
    private static final Path MODULE = Path.of("").toAbsolutePath();

    static final Path TEST_FUNCTION = MODULE.resolve("../test-function/terraform").normalize();
    static final Path ROOT_STACK = MODULE.resolve("../../infra/terraform").normalize();
    static final Path SCOPED = fixture("scoped");
    static final Path MISWIRED = fixture("miswired");
    static final Path INVALID = fixture("invalid");

    private Fixtures() {
    }

    /**
     * Fixtures live in src/test/terraform, not in test resources: Maven would copy each fixture's .terraform
     * directory, where the provider binary is linked, into target on every build.
     */
    static Path fixture(String name) {
        return MODULE.resolve("src/test/terraform").resolve(name);
    }

    static String plan(Path configuration) throws TerraformException {
        return new TerraformPlanRunner().planJson(configuration, Map.of());
    }
}
