package dev.blocks.localcloud.lambda;

import dev.blocks.localcloud.spec.FunctionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function's code as Lambda unpacks it into {@code LAMBDA_TASK_ROOT}, and the command that runs it: the
 * {@code bootstrap} of a native (custom runtime) build, else a JVM running AWS's Runtime Interface Client.
 */
final class FunctionArtifact {

    private static final String BOOTSTRAP = "bootstrap";

    private final Path taskRoot;

    private FunctionArtifact(Path taskRoot) {
        this.taskRoot = taskRoot;
    }

    /**
     * A deployment zip is unpacked into {@code into}; a directory (a build's classes, in tests) is used where
     * it is.
     */
    static FunctionArtifact unpack(Path artifact, Path into) throws IOException {
        if (Files.isDirectory(artifact)) {
            return new FunctionArtifact(artifact.toAbsolutePath());
        }
        Path root = into.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(artifact))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException(artifact + ": entry " + entry.getName() + " points outside the archive");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path bootstrap = root.resolve(BOOTSTRAP);
        if (Files.isRegularFile(bootstrap)) {
            // java.util.zip drops Unix modes; Lambda runs bootstrap as an executable.
            bootstrap.toFile().setExecutable(true, false);
        }
        return new FunctionArtifact(root);
    }

    Path taskRoot() {
        return taskRoot;
    }

    boolean customRuntime() {
        Path bootstrap = taskRoot.resolve(BOOTSTRAP);
        return Files.isRegularFile(bootstrap) && Files.isExecutable(bootstrap);
    }

    List<String> command(FunctionSpec spec, RuntimeInterfaceClient runtimeInterfaceClient) {
        if (customRuntime()) {
            return List.of(taskRoot.resolve(BOOTSTRAP).toString());
        }
        if (spec.handler() == null || spec.handler().isBlank()) {
            throw new IllegalArgumentException("function " + spec.name() + " has no bootstrap and no handler");
        }
        return runtimeInterfaceClient.javaCommand(taskRoot, spec.handler(), spec.memoryMb());
    }
}
