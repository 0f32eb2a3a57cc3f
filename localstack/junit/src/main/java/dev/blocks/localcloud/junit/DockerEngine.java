package dev.blocks.localcloud.junit;

import java.util.ServiceConfigurationError;
import java.util.function.Supplier;
import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine answers here, as Testcontainers judges it (the same check its containers need). */
final class DockerEngine {

    private DockerEngine() {}

    static boolean answers() {
        try {
            return withTestcontainersLoader(() -> DockerClientFactory.instance().isDockerAvailable());
        } catch (RuntimeException | LinkageError | ServiceConfigurationError e) {
            // A broken Docker configuration means the same as no engine: use the cloud that needs none.
            return false;
        }
    }

    /**
     * Runs Testcontainers code with its own class loader as the context class loader. Testcontainers finds its
     * Docker strategies through the context loader; under Quarkus's test class loaders that can be another loader
     * than the one that loaded Testcontainers, and every strategy found is then "not a subtype".
     */
    static <T> T withTestcontainersLoader(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DockerClientFactory.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
