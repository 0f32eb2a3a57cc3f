package dev.blocks.webhooks.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Everything the functions of this test JVM's cloud have logged so far (one file per function). */
final class Logs {

    private Logs() {}

    static String text() {
        Path logs = Path.of("target", "local-cloud-logs").toAbsolutePath();
        String mine = "-" + ProcessHandle.current().pid();
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(f -> f.getParent().getFileName().toString().endsWith(mine))::iterator) {
                out.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
