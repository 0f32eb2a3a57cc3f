package dev.blocks.localcloud.junit;

import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine answers here, as Testcontainers judges it (the same check its containers need). */
final class DockerEngine {

    private DockerEngine() {}

    static boolean answers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            // A broken Docker configuration means the same as no engine: use the cloud that needs none.
            return false;
        }
    }
}
