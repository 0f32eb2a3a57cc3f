package dev.blocks.localcloud.junit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's top directory: the one holding {@code localstack/cloud}. */
final class RepoRoot {

    static final String PROPERTY = "blocks.root";
    private static final String MARKER = "localstack/cloud";

    private RepoRoot() {}

    /** {@code blocks.root} when it points at the repository, else the nearest directory above the working one. */
    static Path find() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank() && holdsCloud(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        return above(start);
    }

    static Path above(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (holdsCloud(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("No directory holding " + MARKER + " at or above " + start
                + "; run the tests inside the repository or set -D" + PROPERTY + "=<repository root>");
    }

    private static boolean holdsCloud(Path dir) {
        return Files.isDirectory(dir.resolve(MARKER));
    }
}
