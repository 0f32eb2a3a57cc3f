package dev.blocks.localcloud.emulators;

import dev.blocks.localcloud.process.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real redis-server as a child process bound to 127.0.0.1, with nothing persisted (no RDB snapshots, no AOF): a
 * restart starts empty, as a cache node that lost its memory would. Output goes to {@code redis.log} in the log
 * directory. Which binary runs is {@link RedisBinary}'s choice (the system's, else the embedded Redis 6.2).
 */
public final class RedisEmulator extends ServerEmulator {

    private static final int PROBE_TIMEOUT_MILLIS = 1_000;
    private static final int GRACE_SECONDS = 5;

    private final Path logDirectory;
    private final Path binary;
    private final String owner;
    private ChildProcess process;

    /** Runs the redis-server that {@link RedisBinary} picks (system property {@value RedisBinary#PROPERTY}). */
    public RedisEmulator(Path logDirectory, String owner) throws IOException {
        this(logDirectory, owner, RedisBinary.resolve());
    }

    public RedisEmulator(Path logDirectory, String owner, Path binary) {
        super("redis");
        this.logDirectory = logDirectory;
        this.owner = owner;
        this.binary = binary;
    }

    /** The redis-server this emulator runs. */
    public Path binary() {
        return binary;
    }

    /** The PID of the running redis-server itself (not of its guard, see {@link ChildProcess}), for fault tests. */
    public synchronized long pid() throws IOException {
        if (process == null || !process.alive()) {
            throw new IllegalStateException("redis-server is not running");
        }
        Path executable = binary.toRealPath();
        return process.process().descendants()
                .filter(handle -> handle.info().command().map(command -> Path.of(command).equals(executable)).orElse(false))
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("redis-server is not among the guard's processes"));
    }

    /**
     * Suspends redis-server (SIGSTOP): connections stay open and requests hang unanswered, as with a host that
     * stalls or a network that drops packets — what client timeouts and breakers are for. {@link #thaw()} resumes it.
     */
    public synchronized void freeze() {
        if (process == null || !process.alive()) {
            throw new IllegalStateException("redis-server is not running");
        }
        process.freeze();
    }

    /** Resumes a frozen redis-server (SIGCONT); it answers what was sent while it was frozen. */
    public synchronized void thaw() {
        if (process != null) {
            process.thaw();
        }
    }

    /** Kills redis-server at once (SIGKILL), as a crash would; {@link #start()} brings it back on the same port. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    void launch(int port) throws IOException {
        Files.createDirectories(logDirectory);
        process = ChildProcess.start("redis", List.of(
                binary.toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--protected-mode", "no",
                "--daemonize", "no",
                "--logfile", ""),
                logDirectory, Map.of(), log(), owner);
    }

    @Override
    void halt() {
        if (process != null) {
            ChildProcess stopping = process;
            process = null;
            stopping.stop(GRACE_SECONDS);
        }
    }

    /** Where redis-server's output goes. */
    public Path log() {
        return logDirectory.resolve("redis.log");
    }

    @Override
    String diagnosis() {
        return "; see " + log();
    }

    @Override
    boolean alive() {
        return process != null && process.alive();
    }

    @Override
    boolean healthy() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), PROBE_TIMEOUT_MILLIS);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
    }

    @Override
    public String endpoint() {
        return "redis://127.0.0.1:" + port();
    }
}
