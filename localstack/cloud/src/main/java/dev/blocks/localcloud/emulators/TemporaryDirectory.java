package dev.blocks.localcloud.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory that an emulator keeps its data in for as long as it lives, and deletes with everything in it; also
 * when the JVM exits without closing the emulator (only a SIGKILL leaves it behind).
 */
final class TemporaryDirectory {

    private final Path path;
    private final Thread deleteAtExit;

    private TemporaryDirectory(Path path) {
        this.path = path;
        this.deleteAtExit = new Thread(this::deleteQuietly, "delete " + path);
        Runtime.getRuntime().addShutdownHook(deleteAtExit);
    }

    static TemporaryDirectory create(String prefix) throws IOException {
        return new TemporaryDirectory(Files.createTempDirectory(prefix));
    }

    /**
     * As {@link #create}, in memory where Linux offers a tmpfs at /dev/shm: a database that syncs every write (DynamoDB
     * Local's SQLite) is many times faster there, while its data still outlives a stop and start of the emulator.
     */
    static TemporaryDirectory createInMemory(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return new TemporaryDirectory(Files.createTempDirectory(shm, prefix));
        }
        return create(prefix);
    }

    Path path() {
        return path;
    }

    void delete() {
        try {
            Runtime.getRuntime().removeShutdownHook(deleteAtExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook deletes it
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(entry -> {
                try {
                    Files.deleteIfExists(entry);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteQuietly() {
        try {
            delete();
        } catch (RuntimeException e) {
            // best effort while the JVM exits
        }
    }
}
