package dev.blocks.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import dev.blocks.localcloud.spec.FunctionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution environments of one function, scheduled as Lambda schedules them: each runs one invocation at a
 * time; an invocation that finds none free starts a new one (a cold start) up to the function's concurrency;
 * an invocation that outlives the function's timeout fails and its environment is killed and replaced; a
 * cold start that fails fails the invocation that waited for it.
 */
final class FunctionPool {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionPool.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionSpec spec;
    private final LambdaSettings settings;
    private final String arn;
    private final FunctionArtifact artifact;
    private final FunctionEnvironment environment;
    private final List<String> command;
    private final Path log;
    private final ScheduledExecutorService timer;
    private final ExecutorService background;
    private final int maxInstances;
    private final long timeoutMillis;

    private final Object lock = new Object();
    private final Deque<Invocation> pending = new ArrayDeque<>();
    private final List<FunctionInstance> instances = new ArrayList<>();
    private int launched;
    private boolean everInitialised;
    private String lastInitError;
    private boolean closed;

    FunctionPool(FunctionSpec spec, FunctionArtifact artifact, LambdaSettings settings,
                 RuntimeInterfaceClient runtimeInterfaceClient, ScheduledExecutorService timer,
                 ExecutorService background) {
        this.spec = spec;
        this.settings = settings;
        this.arn = settings.functionArn(spec.name());
        this.artifact = artifact;
        this.command = artifact.command(spec, runtimeInterfaceClient);
        this.environment = new FunctionEnvironment(spec, settings, artifact.taskRoot());
        this.log = settings.logDir().resolve(spec.name() + ".log");
        this.timer = timer;
        this.background = background;
        this.maxInstances = spec.reservedConcurrency() > 0 ? spec.reservedConcurrency() : settings.defaultConcurrency();
        this.timeoutMillis = Math.max(1, spec.timeoutSeconds()) * 1000L;
    }

    String name() {
        return spec.name();
    }

    /** Starts the first environment, so that the first invocation finds it warm. */
    void start() {
        synchronized (lock) {
            launch();
        }
    }

    byte[] invoke(byte[] payload, String clientContext, String cognitoIdentity) throws FunctionError {
        Invocation invocation = new Invocation(payload, clientContext, cognitoIdentity);
        synchronized (lock) {
            if (closed) {
                throw error("ServiceException", "the local Lambda service is shutting down");
            }
            pending.addLast(invocation);
            scaleOut();
            lock.notifyAll();
        }
        return invocation.await();
    }

    FunctionSpec spec() {
        return spec;
    }

    FunctionStatus status() {
        synchronized (lock) {
            int busy = (int) instances.stream().filter(instance -> instance.current() != null).count();
            List<Long> processIds = instances.stream().map(FunctionInstance::processId).toList();
            return new FunctionStatus(spec.name(), instances.size(), busy, everInitialised, lastInitError, processIds);
        }
    }

    /** True once an environment finished init, or the last attempt failed: nothing more to wait for. */
    boolean settled() {
        synchronized (lock) {
            return everInitialised || lastInitError != null;
        }
    }

    // ---- called by the Runtime API of an instance

    Invocation next(FunctionInstance instance) throws InterruptedException {
        synchronized (lock) {
            if (!instance.initialised()) {
                instance.markInitialised();
                everInitialised = true;
                lastInitError = null;
            }
            Invocation abandoned = instance.current();
            if (abandoned != null) {
                // The runtime asked for more work without answering: that invocation has no result to wait for.
                instance.current(null);
                abandoned.fail(error(abandoned, "Runtime.NoResponse", "the runtime asked for the next invocation "
                        + "without answering this one"));
            }
            while (true) {
                if (closed || instance.exited() || instance.endReason() != null) {
                    return null;
                }
                Invocation invocation = pending.pollFirst();
                if (invocation == null) {
                    lock.wait();
                } else if (!invocation.done()) {
                    instance.current(invocation);
                    invocation.startClock(timeoutMillis, timer.schedule(() -> timeOut(instance, invocation),
                            timeoutMillis, TimeUnit.MILLISECONDS));
                    logLine("START RequestId: " + invocation.requestId() + " Version: $LATEST");
                    return invocation;
                }
            }
        }
    }

    boolean respond(FunctionInstance instance, String requestId, byte[] response) {
        Invocation invocation = finish(instance, requestId);
        if (invocation == null) {
            return false;
        }
        report(invocation, null);
        invocation.succeed(response);
        return true;
    }

    boolean fail(FunctionInstance instance, String requestId, String errorType, byte[] document) {
        Invocation invocation = finish(instance, requestId);
        if (invocation == null) {
            return false;
        }
        report(invocation, "error");
        invocation.fail(functionError(errorType, document));
        return true;
    }

    void initFailed(FunctionInstance instance, String errorType, byte[] document) {
        synchronized (lock) {
            instance.initError(errorType, document);
            instance.endReason("init error");
        }
        // Lambda discards an environment whose init failed.
        killInBackground(instance);
    }

    /** Called when an instance's process ended, for whatever reason; idempotent. */
    void exited(FunctionInstance instance) {
        Invocation inFlight;
        Invocation coldStart = null;
        FunctionError coldStartError = null;
        synchronized (lock) {
            if (instance.exited()) {
                return;
            }
            instance.markExited();
            instances.remove(instance);
            inFlight = instance.current();
            instance.current(null);
            if (!instance.initialised()) {
                coldStartError = initError(instance);
                lastInitError = coldStartError.errorType() + ": " + coldStartError.getMessage();
                if (!closed) {
                    coldStart = pending.pollFirst();
                }
            }
            if (!closed) {
                if ("timeout".equals(instance.endReason()) && instances.size() < maxInstances) {
                    launch();
                }
                scaleOut();
            }
            lock.notifyAll();
        }
        instance.closeRuntimeApi();
        if (inFlight != null) {
            report(inFlight, "error");
            inFlight.fail(error(inFlight, "Runtime.ExitError",
                    "Runtime exited with error: " + exitDescription(instance)));
        }
        if (coldStart != null) {
            coldStart.fail(coldStartError);
        }
        if (coldStartError != null && !"shutdown".equals(instance.endReason())) {
            LOG.warn("function {}: instance {} failed its init: {}, see {}", spec.name(), instance.id(),
                    coldStartError.getMessage(), log);
        } else if (instance.endReason() == null) {
            LOG.warn("function {}: instance {} exited unexpectedly ({}), see {}", spec.name(), instance.id(),
                    exitDescription(instance), log);
        }
    }

    /** Kills every instance at once, as a crash would; invocations in flight fail as crashed runtimes do. */
    int kill() {
        List<FunctionInstance> victims;
        synchronized (lock) {
            victims = new ArrayList<>(instances);
            victims.forEach(instance -> instance.endReason("killed"));
        }
        endAll(victims, FunctionInstance::kill);
        return victims.size();
    }

    void close() {
        List<FunctionInstance> all;
        List<Invocation> abandoned;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(instances);
            all.forEach(instance -> instance.endReason("shutdown"));
            abandoned = new ArrayList<>(pending);
            pending.clear();
            lock.notifyAll();
        }
        abandoned.forEach(invocation -> invocation.fail(
                error(invocation, "ServiceException", "the local Lambda service is shutting down")));
        endAll(all, FunctionInstance::stop);
    }

    // ---- scheduling, all under the lock

    private void scaleOut() {
        while (!closed && instances.size() < maxInstances && pending.size() > ready()) {
            if (!launch()) {
                return;
            }
        }
    }

    /** Instances that will take a queued invocation without a new cold start. */
    private int ready() {
        int count = 0;
        for (FunctionInstance instance : instances) {
            if (instance.available() || instance.starting()) {
                count++;
            }
        }
        return count;
    }

    private boolean launch() {
        String id = spec.name() + "-" + (++launched);
        try {
            FunctionInstance instance = FunctionInstance.launch(this, id, arn, command, artifact.taskRoot(),
                    environment, log, settings.owner(), background);
            instances.add(instance);
            long initMillis = settings.initTimeout().toMillis();
            timer.schedule(() -> initTimedOut(instance), initMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (IOException | RuntimeException e) {
            lastInitError = "Runtime.StartError: " + e.getMessage();
            LOG.warn("function {}: cannot start an instance", spec.name(), e);
            Invocation coldStart = pending.pollFirst();
            if (coldStart != null) {
                coldStart.fail(error(coldStart, "Runtime.StartError", "cannot start the runtime: " + e.getMessage()));
            }
            return false;
        }
    }

    private Invocation finish(FunctionInstance instance, String requestId) {
        synchronized (lock) {
            Invocation invocation = instance.current();
            if (invocation == null || !invocation.requestId().equals(requestId)) {
                return null;
            }
            instance.current(null);
            invocation.stopClock();
            return invocation;
        }
    }

    private void timeOut(FunctionInstance instance, Invocation invocation) {
        synchronized (lock) {
            if (instance.current() != invocation) {
                return;
            }
            instance.current(null);
            instance.endReason("timeout");
        }
        report(invocation, "timeout");
        invocation.fail(error(invocation, "Sandbox.Timedout",
                String.format(Locale.ROOT, "Task timed out after %.2f seconds", timeoutMillis / 1000.0)));
        killInBackground(instance);
    }

    private void initTimedOut(FunctionInstance instance) {
        synchronized (lock) {
            if (instance.initialised() || instance.exited()) {
                return;
            }
            instance.endReason("init timeout");
            instance.initError("Runtime.InitTimeout", RuntimeApiServer.error("Runtime.InitTimeout",
                    "init did not finish within " + settings.initTimeout().toSeconds() + " s")
                    .getBytes(StandardCharsets.UTF_8));
        }
        killInBackground(instance);
    }

    private void killInBackground(FunctionInstance instance) {
        background.execute(() -> {
            instance.kill();
            exited(instance);
        });
    }

    private void endAll(List<FunctionInstance> victims, java.util.function.Consumer<FunctionInstance> end) {
        CompletableFuture<?>[] ends = victims.stream()
                .map(instance -> CompletableFuture.runAsync(() -> {
                    end.accept(instance);
                    exited(instance);
                }, background))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(ends).join();
    }

    // ---- errors as Lambda reports them

    private FunctionError initError(FunctionInstance instance) {
        if (instance.initErrorType() != null) {
            return functionError(instance.initErrorType(), instance.initErrorDocument());
        }
        return error("Runtime.ExitError", "Runtime exited with error: " + exitDescription(instance));
    }

    private static String exitDescription(FunctionInstance instance) {
        int code = instance.exitCode();
        if (code > 128 && code <= 128 + 64) {
            return "signal: " + switch (code - 128) {
                case 9 -> "killed";
                case 15 -> "terminated";
                case 11 -> "segmentation fault";
                case 6 -> "aborted";
                default -> Integer.toString(code - 128);
            };
        }
        return "exit status " + code;
    }

    private static FunctionError error(Invocation invocation, String type, String message) {
        return error(type, "RequestId: " + invocation.requestId() + " Error: " + message);
    }

    private static FunctionError error(String type, String message) {
        return new FunctionError(type, message, RuntimeApiServer.error(type, message).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The error as the caller sees it: the document's own errorType (the exception class for the Java runtime)
     * rather than the Runtime API header's category (Runtime.UserException and the like).
     */
    private static FunctionError functionError(String headerType, byte[] document) {
        String type = headerType;
        try {
            JsonNode node = JSON.readTree(document);
            if (node != null && node.hasNonNull("errorType")) {
                type = node.get("errorType").asText();
            }
        } catch (IOException ignored) {
            // not JSON: the header's type is all there is
        }
        return new FunctionError(type, errorMessage(document, type), document);
    }

    private static String errorMessage(byte[] document, String fallback) {
        try {
            JsonNode node = JSON.readTree(document);
            if (node != null && node.hasNonNull("errorMessage")) {
                return node.get("errorMessage").asText();
            }
        } catch (IOException ignored) {
            // not JSON: the type alone describes it
        }
        return fallback;
    }

    // ---- the function's log, where Lambda writes its START/END/REPORT lines too

    private void report(Invocation invocation, String status) {
        long durationMillis = System.currentTimeMillis() - (invocation.deadlineMillis() - timeoutMillis);
        logLine("END RequestId: " + invocation.requestId());
        logLine("REPORT RequestId: " + invocation.requestId() + "\tDuration: " + durationMillis + " ms"
                + (status == null ? "" : "\tStatus: " + status));
    }

    private void logLine(String line) {
        try {
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.debug("cannot write to {}", log, e);
        }
    }
}
