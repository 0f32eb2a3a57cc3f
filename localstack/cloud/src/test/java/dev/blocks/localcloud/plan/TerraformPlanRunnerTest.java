package dev.blocks.localcloud.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerraformPlanRunnerTest {

    private static final String NO_TERRAFORM = "/nonexistent/terraform";

    @Test
    void aSecondPlanOfAnUnchangedConfigurationComesFromTheCacheWithoutTerraform() throws Exception {
        String first = Fixtures.plan(Fixtures.SCOPED);

        TerraformPlanRunner withoutTerraform = new TerraformPlanRunner(NO_TERRAFORM,
                TerraformPlanRunner.DEFAULT_PROVIDER_MIRROR, System.getenv());

        assertThat(withoutTerraform.planJson(Fixtures.SCOPED, Map.of())).isEqualTo(first);
        assertThat(withoutTerraform.planJson(Fixtures.SCOPED, Map.of("target", "local"))).isEqualTo(first);
    }

    @Test
    void otherVariablesNeedANewPlan() {
        TerraformPlanRunner withoutTerraform = new TerraformPlanRunner(NO_TERRAFORM,
                TerraformPlanRunner.DEFAULT_PROVIDER_MIRROR, System.getenv());

        assertThatThrownBy(() -> withoutTerraform.planJson(Fixtures.SCOPED, Map.of("target", "localstack")))
                .isInstanceOf(TerraformException.class)
                .hasMessageContaining("Terraform is needed to read " + Fixtures.SCOPED)
                .hasMessageContaining("Install Terraform");
    }

    @Test
    void aFailingPlanReportsWhatTerraformSaid() {
        assertThatThrownBy(() -> Fixtures.plan(Fixtures.INVALID))
                .isInstanceOf(TerraformException.class)
                .hasMessageContaining("failed in " + Fixtures.INVALID)
                .hasMessageContaining("Reference to undeclared resource");
    }

    @Test
    void theCacheKeyCoversLocalModulesAndVariables(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.tf"), "module \"m\" {\n  source = \"./m\"\n}\n");
        Files.createDirectories(dir.resolve("m"));
        Files.writeString(dir.resolve("m/main.tf"), "locals {\n  a = 1\n}\n");
        String key = TerraformPlanRunner.cacheKey(dir, Map.of("target", "local"));

        assertThat(TerraformPlanRunner.cacheKey(dir, Map.of("target", "local"))).isEqualTo(key);
        assertThat(TerraformPlanRunner.cacheKey(dir, Map.of("target", "aws"))).isNotEqualTo(key);
        Files.writeString(dir.resolve("m/main.tf"), "locals {\n  a = 2\n}\n");
        assertThat(TerraformPlanRunner.cacheKey(dir, Map.of("target", "local"))).isNotEqualTo(key);
    }
}
