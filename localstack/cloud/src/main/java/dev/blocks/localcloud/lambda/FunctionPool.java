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
    private final RuntimeInterfaceClient runtimeInterfaceClient;
    // Replaced by a redeploy; read by launch(), under the lock.
    private FunctionArtifact artifact;
    private FunctionEnvironment environment;
    private List<String> command;
    private final Path log;
    private final ScheduledExecutorService timer;
    private final ExecutorService background;
    private final int maxInstances;
    private final long timeoutMillis;
    private final AccountConcurrency account;

    private final Object lock = new Object();
    private final Deque<Invocation> pending = new ArrayDeque<>();
    private final List<FunctionInstance> instances = new ArrayList<>();
    private int launched;
    private int inFlight;
    private boolean everInitialised;
    private String lastInitError;
    private boolean closed;

    FunctionPool(FunctionSpec spec, FunctionArtifact artifact, LambdaSettings settings,
                 RuntimeInterfaceClient runtimeInterfaceClient, ScheduledExecutorService timer,
                 ExecutorService background, AccountConcurrency account) {
        this.spec = spec;
        this.settings = settings;
        this.arn = settings.functionArn(spec.name());
        this.runtimeInterfaceClient = runtimeInterfaceClient;
        this.artifact = artifact;
        this.command = artifact.command(spec, runtimeInterfaceClient);
        this.environment = new FunctionEnvironment(spec, settings, artifact.taskRoot());
        this.log = settings.logDir().resolve(spec.name() + ".log");
        this.timer = timer;
        this.background = background;
        int cap = settings.execution().instanceCap();
        this.maxInstances = spec.reservedConcurrency() > 0 ? Math.min(spec.reservedConcurrency(), cap) : cap;
        this.timeoutMillis = Math.max(1, spec.timeoutSeconds()) * 1000L;
        this.account = account;
    }

    String name() {
        return spec.name();
    }

    /**
     * Starts one environment to prove the function's init at start-up; unless the execution model pre-warms, it
     * is reclaimed once idle (see {@link #reclaimIdle}), so the first invocation is a cold start as on AWS.
     */
    void start() {
        synchronized (lock) {
            // An invocation that came first has started one already: that one proves the init.
            if (instances.isEmpty() && launched == 0) {
                launch();
            }
        }
    }

    /**
     * Runs one invocation synchronously. Throttled, as Lambda throttles, when the function's reserved
     * concurrency (0: every invocation) or the account's limit is in use.
     */
    byte[] invoke(byte[] payload, String clientContext, String cognitoIdentity) throws FunctionError {
        return invoke(new Invocation(payload, clientContext, cognitoIdentity));
    }

    byte[] invokeAs(String requestId, byte[] payload) throws FunctionError {
        return invoke(new Invocation(requestId, payload, null, null));
    }

    private byte[] invoke(Invocation invocation) throws FunctionError {
        synchronized (lock) {
            if (closed) {
                throw error("ServiceException", "the local Lambda service is shutting down");
            }
            if (spec.reservedConcurrency() >= 0 && inFlight >= spec.reservedConcurrency()) {
                throw FunctionError.throttled("ReservedFunctionConcurrentInvocationLimitExceeded");
            }
            if (!account.tryAcquire()) {
                throw FunctionError.throttled("ConcurrentInvocationLimitExceeded");
            }
            inFlight++;
            pending.addLast(invocation);
            scaleOut();
            lock.notifyAll();
        }
        try {
            return invocation.await();
        } catch (FunctionError e) {
            e.logTail(logTail(invocation));
            throw e;
        } finally {
            synchronized (lock) {
                inFlight--;
            }
            account.release();
        }
    }

    /** As {@link #invoke}, with the end of the function's log for this invocation (Invoke's {@code LogType: Tail}). */
    LambdaService.Invoked invokeWithLog(byte[] payload, String clientContext) throws FunctionError {
        Invocation invocation = new Invocation(payload, clientContext, null);
        byte[] response = invoke(invocation);
        return new LambdaService.Invoked(response, logTail(invocation));
    }

    FunctionSpec spec() {
        return spec;
    }

    FunctionStatus status() {
        synchronized (lock) {
            int busy = (int) instances.stream().filter(instance -> instance.current() != null).count();
            int frozen = (int) instances.stream().filter(FunctionInstance::frozen).count();
            List<Long> processIds = instances.stream().map(FunctionInstance::processId).toList();
            return new FunctionStatus(spec.name(), instances.size(), busy, frozen, launched, everInitialised,
                    lastInitError, processIds);
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
                long initMillis = instance.initMillis();
                if (initMillis > settings.execution().initTimeout().toMillis()) {
                    LOG.warn("function {}: instance {} took {} ms to init, over Lambda's {} ms: on AWS that init is"
                            + " re-run within the first invocation and counts against its timeout", spec.name(),
                            instance.id(), initMillis, settings.execution().initTimeout().toMillis());
                }
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
                    if (!closed && !instance.exited() && (REDEPLOYED.equals(instance.endReason())
                            || RECLAIMED.equals(instance.endReason()))) {
                        // Retired (reclaimed when idle, or by a redeploy once it finished): Lambda just ends such an
                        // environment. Killed before anything is answered, its runtime never sees a refusal to log.
                        break;
                    }
                    instance.thaw();
                    return null;
                }
                Invocation invocation = pending.pollFirst();
                if (invocation == null) {
                    // Lambda freezes an environment as soon as its runtime waits for work: whatever the function
                    // left running after its response gets no CPU until the next invocation.
                    instance.freeze(settings.execution().freeze());
                    lock.wait();
                } else if (!invocation.done()) {
                    instance.thaw();
                    invocation.logStart(logSize());
                    instance.current(invocation);
                    invocation.startClock(timeoutMillis, timer.schedule(() -> timeOut(instance, invocation),
                            timeoutMillis, TimeUnit.MILLISECONDS));
                    logLine("START RequestId: " + invocation.requestId() + " Version: $LATEST");
                    invocation.instance(instance);
                    return invocation;
                }
            }
        }
        instance.kill();
        exited(instance);
        return null;
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

    /**
     * Ends the instances that have waited for an invocation longer than {@code idleFor}, as Lambda reclaims idle
     * environments; returns how many. The next invocation of the function is then a cold start.
     */
    int reclaimIdle(java.time.Duration idleFor) {
        List<FunctionInstance> idle = new ArrayList<>();
        synchronized (lock) {
            long now = System.nanoTime();
            for (FunctionInstance instance : instances) {
                if (instance.available() && instance.idleNanos(now) >= idleFor.toNanos()) {
                    instance.endReason(RECLAIMED);
                    idle.add(instance);
                }
            }
            lock.notifyAll();
        }
        idle.forEach(this::killInBackground);
        return idle.size();
    }

    /**
     * From now on new instances run {@code replacement} (UpdateFunctionCode). Every current instance is retired: it
     * ends when it next asks for work, which for an idle one is at once (woken below) and for a busy or starting one
     * after its invocation or init, so an invocation in flight finishes on the old code. Queued invocations get new
     * instances. Returns how many instances were retired.
     */
    int redeploy(FunctionArtifact replacement) {
        synchronized (lock) {
            List<String> replacementCommand = replacement.command(spec, runtimeInterfaceClient);
            artifact = replacement;
            command = replacementCommand;
            environment = new FunctionEnvironment(spec, settings, replacement.taskRoot());
            int retired = 0;
            for (FunctionInstance instance : instances) {
                if (instance.endReason() == null && !instance.exited()) {
                    instance.endReason(REDEPLOYED);
                    retired++;
                }
            }
            scaleOut();
            lock.notifyAll();
            return retired;
        }
    }

    private static final String REDEPLOYED = "redeployed";
    private static final String RECLAIMED = "reclaimed";

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
                    environment, log, settings.owner(), settings.workDir().resolve(id + ".pid"), background);
            instances.add(instance);
            timer.schedule(() -> initTimedOut(instance), initDeadlineMillis(), TimeUnit.MILLISECONDS);
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

    /**
     * Lambda gives init 10 s; an init that takes longer is not fatal there: it is run again within the first
     * invocation, under the function's timeout. So an instance is only given up once both have passed.
     */
    private long initDeadlineMillis() {
        return settings.execution().initTimeout().toMillis() + timeoutMillis;
    }

    private void initTimedOut(FunctionInstance instance) {
        synchronized (lock) {
            if (instance.initialised() || instance.exited()) {
                return;
            }
            instance.endReason("init timeout");
            instance.initError("Runtime.InitTimeout", RuntimeApiServer.error("Runtime.InitTimeout",
                    "init did not finish within " + initDeadlineMillis() + " ms")
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

    /** Lambda's END and REPORT lines, with the fields CloudWatch shows for a managed runtime. */
    private void report(Invocation invocation, String status) {
        double durationMillis = (System.nanoTime() - invocation.startedNanos()) / 1_000_000.0;
        FunctionInstance instance = invocation.instance();
        long maxMemory = instance == null ? -1 : instance.maxMemoryUsedMb();
        long initMillis = instance == null ? -1 : instance.takeInitMillis();
        logLine("END RequestId: " + invocation.requestId());
        logLine("REPORT RequestId: " + invocation.requestId()
                + String.format(Locale.ROOT, "\tDuration: %.2f ms", durationMillis)
                + "\tBilled Duration: " + (long) Math.ceil(durationMillis) + " ms"
                + "\tMemory Size: " + spec.memoryMb() + " MB"
                + "\tMax Memory Used: " + (maxMemory < 0 ? "-" : Long.toString(maxMemory)) + " MB"
                + (initMillis < 0 ? "" : "\tInit Duration: " + initMillis + ".00 ms")
                + (status == null ? "" : "\tStatus: " + status));
        invocation.logEnd(logSize());
    }

    private long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The last 4 KB the function's log received between the invocation's START and REPORT lines, base64-encoded as
     * Invoke's {@code X-Amz-Log-Result} carries it. Instances of one function share the log file, so under
     * concurrency this may hold another invocation's lines too.
     */
    private String logTail(Invocation invocation) {
        long from = invocation.logStart();
        long to = invocation.logEnd();
        if (from < 0 || to <= from) {
            return null;
        }
        long start = Math.max(from, to - 4096);
        try (var channel = java.nio.channels.FileChannel.open(log, StandardOpenOption.READ)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) (to - start));
            channel.read(buffer, start);
            return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), buffer.position()));
        } catch (IOException e) {
            return null;
        }
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
