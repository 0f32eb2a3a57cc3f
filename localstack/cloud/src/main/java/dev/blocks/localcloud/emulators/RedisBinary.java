package dev.blocks.localcloud.emulators;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the redis-server to run: the machine's own when on PATH, else the real Redis 6.2 binary that the
 * embedded-redis jar carries for Linux and macOS (extracted once per JVM). The system property
 * {@value #PROPERTY} forces a choice: {@code system}, {@code embedded}, or a path to a binary.
 */
final class RedisBinary {

    static final String PROPERTY = "localcloud.redis.binary";

    private static Path extracted;

    private RedisBinary() {}

    static Path resolve() throws IOException {
        String choice = System.getProperty(PROPERTY, "auto").trim();
        switch (choice) {
            case "auto", "" -> {
                Optional<Path> system = onPath();
                return system.isPresent() ? system.get() : embedded();
            }
            case "system" -> {
                return onPath().orElseThrow(() -> new IOException("No redis-server on PATH (" + PROPERTY + "=system)"));
            }
            case "embedded" -> {
                return embedded();
            }
            default -> {
                Path path = Path.of(choice);
                if (!Files.isExecutable(path)) {
                    throw new IOException(PROPERTY + " names " + path + ", which is not an executable file");
                }
                return path;
            }
        }
    }

    static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static synchronized Path embedded() throws IOException {
        if (extracted != null && Files.isExecutable(extracted)) {
            return extracted;
        }
        String resource = embeddedResourceName();
        Path target = Files.createTempFile("redis-server-", "");
        target.toFile().deleteOnExit();
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("The embedded-redis jar is not on the class path (no " + resource + ")");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!target.toFile().setExecutable(true, true)) {
            throw new IOException("Could not make " + target + " executable");
        }
        extracted = target;
        return target;
    }

    /** The binaries embedded-redis 1.4.3 ships, at the root of its jar. */
    private static String embeddedResourceName() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        if (os.contains("linux") && x64) {
            return "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("linux") && arm) {
            return "redis-server-6.2.7-linux-arm64";
        }
        if (os.contains("mac") && x64) {
            return "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("mac") && arm) {
            return "redis-server-6.2.6-v5-darwin-arm64";
        }
        throw new IOException("No embedded redis-server for " + os + "/" + arch + ": install Redis");
    }
}
