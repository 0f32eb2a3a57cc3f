package dev.blocks.localcloud.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoRootTest {

    @Test
    void theNearestDirectoryHoldingTheCloudModuleIsTheRoot(@TempDir Path repo) throws IOException {
        Files.createDirectories(repo.resolve("localstack/cloud"));
        Path module = Files.createDirectories(repo.resolve("functions/shortener/src"));

        assertThat(RepoRoot.above(module)).isEqualTo(repo);
        assertThat(RepoRoot.above(repo)).isEqualTo(repo);
    }

    @Test
    void outsideARepositoryTheFailureSaysHowToPointAtIt(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> RepoRoot.above(elsewhere))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("localstack/cloud")
                .hasMessageContaining("-Dblocks.root=");
    }

    @Test
    void thisModuleLivesInTheRepository() {
        assertThat(RepoRoot.find().resolve("localstack/junit/pom.xml")).isRegularFile();
    }
}
