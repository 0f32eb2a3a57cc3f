package dev.blocks.localcloud.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server or function process started by the local cloud that can never outlive it.
 *
 * <p>The command runs under a small {@code sh} guard whose standard input is a pipe from this JVM: when this JVM
 * dies for any reason (even SIGKILL, where no shutdown hook runs) the pipe closes, the guard's {@code cat}
 * returns and the guard kills the command. Every child also carries {@code LOCAL_CLOUD_OWNER} in its
 * environment so that tests can prove no process is left behind.
 */
public final class ChildProcess implements AutoCloseable {

    /** Environment variable naming the local cloud instance that owns a process. */
    public static final String OWNER_ENV = "LOCAL_CLOUD_OWNER";

    // sh gives a background job /dev/null as its stdin unless told otherwise, so the watcher reads the lifeline
    // through a copy (fd 3) made before it goes to the background.
    private static final String GUARD =
            "exec 3<&0\n"
            + "\"$@\" <&- 3<&- & child=$!\n"
            + "( cat <&3 >/dev/null; kill -TERM $child 2>/dev/null; sleep 2; kill -KILL $child 2>/dev/null ) &\n"
            + "watcher=$!\n"
            + "wait $child; status=$?\n"
            + "kill $watcher 2>/dev/null\n"
            + "exit $status\n";

    private final String name;
    private final Process process;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code environment} added to this JVM's environment.
     * Output goes to {@code log} (appended), or is inherited when {@code log} is null.
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> environment,
                                     Path log, String owner) throws IOException {
        List<String> guarded = new ArrayList<>(List.of("sh", "-c", GUARD, "guard"));
        guarded.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(guarded);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().putAll(environment);
        builder.environment().put(OWNER_ENV, owner);
        if (log != null) {
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        // stdin stays a pipe owned by this JVM: that pipe is the guard's lifeline.
        return new ChildProcess(name, builder.start());
    }

    public String name() {
        return name;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Kills the command at once (as a crash would), without a graceful stop. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(5);
    }

    /** Asks the command to stop (SIGTERM), then kills what is left after {@code graceSeconds}. */
    public void stop(int graceSeconds) {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        if (!waitFor(graceSeconds)) {
            kill();
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the guard is gone already
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS) && process.descendants().noneMatch(ProcessHandle::isAlive);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop(5);
    }
}
