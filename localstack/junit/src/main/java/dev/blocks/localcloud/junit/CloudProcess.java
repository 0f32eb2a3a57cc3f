package dev.blocks.localcloud.junit;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cloud server running as a child JVM of the test JVM. It holds the child's standard input open: the server
 * stops when that pipe closes, so even a test JVM that dies without running its shutdown hooks leaves nothing
 * behind.
 */
final class CloudProcess implements AutoCloseable {

    private static final String MAIN_CLASS = "dev.blocks.localcloud.LocalCloudMain";
    static final String START_TIMEOUT_PROPERTY = "blocks.cloud.start-timeout-seconds";
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int TAIL_LINES = 60;

    private final Process process;
    private final OutputStream stdin;
    private final Path log;
    private final String endpointsJson;

    private CloudProcess(Process process, Path log, String endpointsJson) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.log = log;
        this.endpointsJson = endpointsJson;
    }

    /** Starts the server and waits until it has written its endpoints, or fails with the end of its log. */
    static CloudProcess start(CloudRequest request, List<String> extraArguments) {
        Path root = RepoRoot.find();
        Path jar = root.resolve("localstack/cloud/target/local-cloud.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The local cloud is not built: " + jar + " is missing. Build it first,"
                    + " from " + root + ": mvn -B -q install -DskipTests -pl localstack/cloud -am");
        }
        Path logs = Path.of(System.getProperty("user.dir"), "target", "local-cloud-logs").toAbsolutePath();
        String name = "cloud-" + request.key() + "-" + ProcessHandle.current().pid();
        Path serverLogs = logs.resolve(name);
        Path log = logs.resolve(name + ".log");
        Path endpointsFile = serverLogs.resolve("endpoints.json");

        // The server runs from a copy of its jar: rebuilding the local cloud while clouds run (another module's
        // tests, a second terminal) would otherwise rewrite a jar an open JVM still reads classes from. Its
        // libraries are the ones its manifest names, beside the original (a rebuild adds, never rewrites, them).
        Path copy = serverLogs.resolve("local-cloud.jar");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classPath(jar, copy));
        command.add(MAIN_CLASS);
        command.addAll(List.of("--exit-on-stdin-eof", "--port", "0", "--endpoints-file", endpointsFile.toString(),
                "--log-dir", serverLogs.toString()));
        command.addAll(request.arguments(root));
        command.addAll(extraArguments);

        Process process;
        try {
            Files.createDirectories(serverLogs);
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(endpointsFile);
            process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the local cloud: " + String.join(" ", command), e);
        }
        String json = new Waiting(process, log, command).forFile(endpointsFile, startTimeout());
        try {
            EndpointsJson.parse(json);
        } catch (RuntimeException unreadable) {
            stop(process, process.getOutputStream());
            throw unreadable;
        }
        return new CloudProcess(process, log, json);
    }

    /** The copy first, then each library of the original jar's manifest, resolved beside the original. */
    private static String classPath(Path jar, Path copy) {
        List<String> entries = new ArrayList<>(List.of(copy.toString()));
        try (JarFile file = new JarFile(jar.toFile())) {
            String libraries = file.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            for (String library : libraries == null ? new String[0] : libraries.trim().split("\\s+")) {
                entries.add(jar.resolveSibling(library).toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the manifest of " + jar, e);
        }
        return String.join(File.pathSeparator, entries);
    }

    String endpointsJson() {
        return endpointsJson;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Closes the server's standard input, waits for it to stop, and forces it (and its children) if it does not. */
    @Override
    public synchronized void close() {
        stop(process, stdin);
    }

    private static void stop(Process process, OutputStream stdin) {
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            stdin.close();
        } catch (IOException alreadyGone) {
            // A closed pipe is exactly the stop signal.
        }
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // The server stops its own children; any left (it was forced, or it has a bug) must not outlive the tests.
        List<ProcessHandle> left = descendants.stream().filter(ProcessHandle::isAlive).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle child : left) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("[local-cloud] process " + child.pid() + " did not exit after SIGKILL: " + e);
            }
        }
    }

    private static Duration startTimeout() {
        String seconds = System.getProperty(START_TIMEOUT_PROPERTY);
        return seconds == null || seconds.isBlank() ? DEFAULT_START_TIMEOUT : Duration.ofSeconds(Long.parseLong(seconds));
    }

    /** Polls, with a deadline, for the server's endpoints file while watching the process. */
    private record Waiting(Process process, Path log, List<String> command) {

        String forFile(Path file, Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            try {
                while (true) {
                    // The server writes the file atomically (write then rename), so existing means complete.
                    if (Files.isRegularFile(file)) {
                        return Files.readString(file, StandardCharsets.UTF_8);
                    }
                    if (!process.isAlive()) {
                        throw failure("exited with code " + process.exitValue() + " before it was ready");
                    }
                    if (Instant.now().isAfter(deadline)) {
                        stop(process, process.getOutputStream());
                        throw failure("was not ready within " + timeout.toSeconds() + " s (-D"
                                + START_TIMEOUT_PROPERTY + " to wait longer)");
                    }
                    // Returns at once when the process exits, else after one poll interval.
                    process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(process, process.getOutputStream());
                throw new IllegalStateException("Interrupted while the local cloud was starting", e);
            } catch (IOException e) {
                stop(process, process.getOutputStream());
                throw new UncheckedIOException("Could not read " + file, e);
            }
        }

        private IllegalStateException failure(String what) {
            return new IllegalStateException("The local cloud " + what + ".\nCommand: " + String.join(" ", command)
                    + "\nLog: " + log + "\n" + tail());
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
                return "--- last " + last.size() + " lines of the log ---\n" + String.join("\n", last);
            } catch (IOException | UncheckedIOException e) {
                return "(log unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
