package dev.blocks.localcloud;

import dev.blocks.localcloud.process.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The processes, found through /proc, whose environment names a given local cloud as their owner. */
public final class OwnedProcesses {

    private OwnedProcesses() {
    }

    public static List<Long> of(String owner) {
        byte[] marker = ("\0" + ChildProcess.OWNER_ENV + "=" + owner + "\0").getBytes(StandardCharsets.UTF_8);
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    byte[] environ = Files.readAllBytes(entry.resolve("environ"));
                    byte[] padded = new byte[environ.length + 1];
                    System.arraycopy(environ, 0, padded, 1, environ.length);
                    if (contains(padded, marker)) {
                        pids.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException | SecurityException ignored) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    /** Polls until no process of {@code owner} is left or the deadline passes; returns what is left. */
    public static List<Long> awaitNone(String owner, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> left = of(owner);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = of(owner);
        }
        return left;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Whether the process still runs: a killed process its parent has not reaped yet (a zombie, which
     * {@link ProcessHandle#isAlive()} still counts) runs nothing.
     */
    public static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
