package dev.blocks.localcloud.lambda;

import dev.blocks.localcloud.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One execution environment of a function: its process and the Runtime API server that process polls. It runs
 * one invocation at a time; {@link FunctionPool} decides which, and all of its state is guarded by the pool.
 */
final class FunctionInstance implements RuntimeApiServer.Runtime {

    private final FunctionPool pool;
    private final String id;
    private final RuntimeApiServer runtimeApi;
    private final long launchedNanos = System.nanoTime();
    private ChildProcess process;

    // Guarded by the pool's lock.
    private boolean initialised;
    private boolean exited;
    private Invocation current;
    private String initErrorType;
    private byte[] initErrorDocument;
    private String endReason;
    private boolean frozen;
    private boolean waiting;
    private long idleSinceNanos;
    private long initMillis = -1;
    private boolean initReported;

    private FunctionInstance(FunctionPool pool, String id, String functionArn) throws IOException {
        this.pool = pool;
        this.id = id;
        this.runtimeApi = new RuntimeApiServer(id, functionArn, this);
    }

    /** Starts the process; it begins its init phase at once. */
    static FunctionInstance launch(FunctionPool pool, String id, String functionArn, List<String> command,
                                   Path taskRoot, FunctionEnvironment environment, Path log, String owner,
                                   Path pidFile, Executor background) throws IOException {
        FunctionInstance instance = new FunctionInstance(pool, id, functionArn);
        try {
            Map<String, String> env = environment.forRuntimeApi(instance.runtimeApi.address(), id);
            // Exactly the environment Lambda gives: nothing of the shell that started the local cloud.
            instance.process = ChildProcess.start(id, command, taskRoot, env, true, log, owner, pidFile);
        } catch (IOException | RuntimeException e) {
            instance.runtimeApi.close();
            throw e;
        }
        // Not on the JDK's process reaper thread: handling an exit may start a replacement process.
        instance.process.process().onExit().thenRunAsync(() -> pool.exited(instance), background);
        return instance;
    }

    String id() {
        return id;
    }

    long processId() {
        return process.pid();
    }

    /**
     * The most memory the function's process has held (its resident high-water mark, VmHWM), in MB; -1 where
     * {@code /proc} cannot tell.
     */
    long maxMemoryUsedMb() {
        long pid = process.commandPid();
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb + 1023) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return -1;
    }

    /** Suspends the process while it waits for an invocation, as Lambda freezes an idle environment. */
    void freeze(boolean really) {
        if (!waiting) {
            // Counted from the first time it waits, not from each wake-up of the waiting thread.
            waiting = true;
            idleSinceNanos = System.nanoTime();
        }
        if (really && !frozen) {
            process.freeze();
            frozen = true;
        }
    }

    void thaw() {
        waiting = false;
        if (frozen) {
            process.thaw();
            frozen = false;
        }
    }

    boolean frozen() {
        return frozen;
    }

    /** Nanoseconds spent waiting for an invocation, or 0 while running one. */
    long idleNanos(long now) {
        return waiting && current == null ? now - idleSinceNanos : 0;
    }

    long initMillis() {
        return initMillis;
    }

    /** The init duration, once, for the REPORT line of the instance's first invocation; -1 after that. */
    long takeInitMillis() {
        if (initReported) {
            return -1;
        }
        initReported = true;
        return initMillis;
    }

    @Override
    public Invocation next() throws InterruptedException {
        return pool.next(this);
    }

    @Override
    public boolean respond(String requestId, byte[] response) {
        return pool.respond(this, requestId, response);
    }

    @Override
    public boolean fail(String requestId, String errorType, byte[] errorDocument) {
        return pool.fail(this, requestId, errorType, errorDocument);
    }

    @Override
    public void initFailed(String errorType, byte[] errorDocument) {
        pool.initFailed(this, errorType, errorDocument);
    }

    boolean initialised() {
        return initialised;
    }

    void markInitialised() {
        initialised = true;
        initMillis = (System.nanoTime() - launchedNanos) / 1_000_000;
    }

    boolean exited() {
        return exited;
    }

    void markExited() {
        exited = true;
    }

    Invocation current() {
        return current;
    }

    void current(Invocation invocation) {
        current = invocation;
    }

    /** Ready for an invocation, or about to ask for one: it finished init and runs nothing. */
    boolean available() {
        return initialised && current == null && !exited && endReason == null;
    }

    boolean starting() {
        return !initialised && !exited && endReason == null;
    }

    void initError(String type, byte[] document) {
        initErrorType = type;
        initErrorDocument = document;
    }

    String initErrorType() {
        return initErrorType;
    }

    byte[] initErrorDocument() {
        return initErrorDocument;
    }

    /** Why the instance is being ended (timeout, kill, ...), null while it is meant to live. */
    String endReason() {
        return endReason;
    }

    void endReason(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
    }

    int exitCode() {
        return process.process().isAlive() ? -1 : process.process().exitValue();
    }

    /** Kills the process at once, as a crash or Lambda's timeout does; blocks until it is gone. */
    void kill() {
        process.kill();
    }

    /** Stops the process with SIGTERM and a short grace, as Lambda's shutdown phase does. */
    void stop() {
        process.stop(2);
    }

    void closeRuntimeApi() {
        runtimeApi.close();
    }
}
