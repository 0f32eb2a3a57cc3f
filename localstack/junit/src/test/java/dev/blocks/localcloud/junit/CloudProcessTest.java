package dev.blocks.localcloud.junit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudProcessTest {

    private final String rootBefore = System.getProperty(RepoRoot.PROPERTY);

    @AfterEach
    void restoreRoot() {
        if (rootBefore == null) {
            System.clearProperty(RepoRoot.PROPERTY);
        } else {
            System.setProperty(RepoRoot.PROPERTY, rootBefore);
        }
    }

    @Test
    void anUnbuiltCloudFailsWithTheCommandThatBuildsIt(@TempDir Path repo) throws IOException {
        Files.createDirectories(repo.resolve("localstack/cloud"));
        System.setProperty(RepoRoot.PROPERTY, repo.toString());

        assertThatThrownBy(() -> CloudProcess.start(CloudRequest.services(List.of("redis")), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(repo.resolve("localstack/cloud/target/local-cloud.jar").toString())
                .hasMessageContaining("mvn -B -q install -DskipTests -pl localstack/cloud -am");
    }
}
