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
    // through a copy (fd 3) made before it goes to the background. The lifeline also carries signal names, one per
    // line (STOP, CONT), which the watcher sends to the command: that is how a function process is frozen between
    // invocations without a fork per signal. The command's pid goes to the file named by the first argument.
    private static final String GUARD =
            "pidfile=$1; shift\n"
            // sh exports the PWD it sets itself; the command's environment is the caller's business alone.
            + "unset PWD OLDPWD\n"
            + "exec 3<&0\n"
            + "\"$@\" <&- 3<&- & child=$!\n"
            + "if [ -n \"$pidfile\" ]; then echo $child > \"$pidfile.tmp\" && mv \"$pidfile.tmp\" \"$pidfile\"; fi\n"
            + "( while read -r signal <&3; do case $signal in STOP|CONT) kill -$signal $child 2>/dev/null;; esac; done\n"
            + "  kill -CONT $child 2>/dev/null; kill -TERM $child 2>/dev/null; sleep 2; kill -KILL $child 2>/dev/null ) &\n"
            + "watcher=$!\n"
            + "wait $child; status=$?\n"
            + "kill $watcher 2>/dev/null\n"
            + "exit $status\n";

    private final String name;
    private final Process process;
    private final Path pidFile;
    private volatile long commandPid = -1;

    private ChildProcess(String name, Process process, Path pidFile) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code environment} added to this JVM's environment.
     * Output goes to {@code log} (appended), or is inherited when {@code log} is null.
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> environment,
                                     Path log, String owner) throws IOException {
        return start(name, command, workDir, environment, false, log, owner, null);
    }

    /**
     * As {@link #start(String, List, Path, Map, Path, String)}; with {@code isolated} the command gets exactly
     * {@code environment} (plus the owner tag), nothing of this JVM's; {@code pidFile}, when not null, receives
     * the command's own pid (the guard's is {@link #pid()}).
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> environment,
                                     boolean isolated, Path log, String owner, Path pidFile) throws IOException {
        List<String> guarded = new ArrayList<>(List.of("sh", "-c", GUARD, "guard",
                pidFile == null ? "" : pidFile.toString()));
        guarded.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(guarded);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        if (isolated) {
            builder.environment().clear();
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
        return new ChildProcess(name, builder.start(), pidFile);
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

    /**
     * The command's own pid (a child of the guard), or -1 when it was started without a pid file or has not
     * written it yet.
     */
    public long commandPid() {
        long known = commandPid;
        if (known > 0 || pidFile == null) {
            return known;
        }
        try {
            String text = java.nio.file.Files.readString(pidFile).trim();
            if (!text.isEmpty()) {
                commandPid = Long.parseLong(text);
            }
        } catch (IOException | NumberFormatException e) {
            // not written yet
        }
        return commandPid;
    }

    /** Suspends the command (SIGSTOP): no thread of it runs until {@link #thaw()}. */
    public void freeze() {
        signal("STOP");
    }

    /** Resumes a frozen command (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            var lifeline = process.getOutputStream();
            lifeline.write((signal + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            lifeline.flush();
        } catch (IOException e) {
            // the guard is gone: so is the command
        }
    }

    /** Kills the command at once (as a crash would), without a graceful stop. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        // The guard reaps the command and exits by itself; killed first, it would leave the command a zombie under
        // a PID 1 that may never reap it (and a zombie still counts as alive).
        if (!waitFor(5)) {
            process.destroyForcibly();
            waitFor(5);
        }
    }

    /** Asks the command to stop (SIGTERM), then kills what is left after {@code graceSeconds}. */
    public void stop(int graceSeconds) {
        if (!process.isAlive()) {
            return;
        }
        // A frozen command would hold SIGTERM pending until the grace period ran out.
        thaw();
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
