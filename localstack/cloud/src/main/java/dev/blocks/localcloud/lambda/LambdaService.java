package dev.blocks.localcloud.lambda;

import dev.blocks.localcloud.spec.FunctionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Lambda service: every function runs from its own artifact as child processes that talk to an
 * implementation of the Lambda Runtime API, exactly as in Lambda, under Lambda's execution model (see
 * {@link ExecutionModel}): frozen between invocations, started on demand, reclaimed when idle, throttled beyond
 * its concurrency. One instance per function starts at once to prove its init.
 */
public final class LambdaService implements FunctionInvoker, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaService.class);

    private final LambdaSettings settings;
    private final Map<String, FunctionPool> pools = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService background;
    private final AccountConcurrency account;

    private LambdaService(LambdaSettings settings) {
        this.settings = settings;
        this.timer = Executors.newScheduledThreadPool(1, daemon("lambda-timer"));
        this.background = Executors.newCachedThreadPool(daemon("lambda"));
        this.account = new AccountConcurrency(settings.execution().accountConcurrency());
    }

    /** Unpacks every function and starts its first instance; returns without waiting for their init. */
    public static LambdaService start(List<FunctionSpec> functions, LambdaSettings settings) throws IOException {
        Files.createDirectories(settings.workDir());
        Files.createDirectories(settings.logDir());
        LambdaService service = new LambdaService(settings);
        try {
            RuntimeInterfaceClient runtimeInterfaceClient = RuntimeInterfaceClient.install(
                    settings.workDir().resolve(".runtime-interface-client"));
            // Functions deployed from one zip (roles of one application) share one unpacked copy.
            Map<Path, FunctionArtifact> unpacked = new HashMap<>();
            for (FunctionSpec function : functions) {
                if (service.pools.containsKey(function.name())) {
                    throw new IllegalArgumentException("function " + function.name() + " is defined twice");
                }
                if (function.artifact() == null || !Files.exists(function.artifact())) {
                    throw new IOException("function " + function.name() + ": its artifact " + function.artifact()
                            + " does not exist (not built yet?)");
                }
                Path source = function.artifact().toRealPath();
                FunctionArtifact artifact = unpacked.get(source);
                if (artifact == null) {
                    Path into = settings.workDir().resolve("artifact-" + unpacked.size());
                    artifact = FunctionArtifact.unpack(source, into);
                    unpacked.put(source, artifact);
                }
                service.pools.put(function.name(), new FunctionPool(function, artifact, settings,
                        runtimeInterfaceClient, service.timer, service.background, service.account));
            }
            service.startInits();
            Duration idle = settings.execution().idleTimeout();
            long every = Math.max(100, Math.min(idle.toMillis() / 4, 30_000));
            service.timer.scheduleWithFixedDelay(() -> service.reclaimIdle(idle), every, every,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    /**
     * Starts one instance of each function to prove its init, no more at once than this machine has cores: on
     * AWS every environment has its own CPU, so inits racing each other here would measure contention, not init.
     */
    private void startInits() {
        int parallel = Math.max(1, Runtime.getRuntime().availableProcessors());
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(parallel);
        background.execute(() -> {
            for (FunctionPool pool : pools.values()) {
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                pool.start();
                background.execute(() -> {
                    try {
                        // Each instance has its own init deadline (FunctionPool), so this ends.
                        while (!pool.settled()) {
                            Thread.sleep(20);
                        }
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    } finally {
                        slots.release();
                    }
                });
            }
        });
    }

    public LambdaSettings settings() {
        return settings;
    }

    public boolean has(String functionName) {
        return pools.containsKey(functionName);
    }

    /** What each function was deployed with, in the order the plan named them. */
    public List<FunctionSpec> functions() {
        return pools.values().stream().map(FunctionPool::spec).toList();
    }

    @Override
    public byte[] invoke(String functionName, byte[] payload) throws FunctionError {
        return invoke(functionName, payload, null);
    }

    @Override
    public byte[] invokeAs(String requestId, String functionName, byte[] payload) throws FunctionError {
        return pool(functionName).invokeAs(requestId, payload);
    }

    /** As {@link #invoke(String, byte[])}, with the client context (JSON) a mobile SDK caller may pass. */
    public byte[] invoke(String functionName, byte[] payload, String clientContext) throws FunctionError {
        return pool(functionName).invoke(payload, clientContext, null);
    }

    /**
     * As {@link #invoke(String, byte[], String)}, with the end of the function's log for the invocation (the Invoke
     * API's {@code LogType: Tail}); a {@link FunctionError} carries it too.
     */
    public Invoked invokeWithLog(String functionName, byte[] payload, String clientContext)
            throws FunctionError {
        return pool(functionName).invokeWithLog(payload, clientContext);
    }

    /** Ends every instance idle for at least {@code idleFor}; returns how many (see {@link ExecutionModel}). */
    public int reclaimIdle(Duration idleFor) {
        int reclaimed = 0;
        for (FunctionPool pool : pools.values()) {
            reclaimed += pool.reclaimIdle(idleFor);
        }
        return reclaimed;
    }

    /**
     * Queues an invocation of type Event in Lambda's queue for asynchronous invocations, which retries it and
     * sends its record to the function's destinations or dead-letter queue (see {@link AsyncInvocations}).
     */
    @Override
    public Queued invokeAsync(String functionName, byte[] payload) {
        pool(functionName);
        return asyncInvocations().submit(functionName, payload);
    }

    /**
     * How long the queue of asynchronous invocations waits between attempts (the execution model's unless set);
     * takes effect only before the first asynchronous invocation.
     */
    public void asyncRetryDelays(AsyncRetryDelays delays) {
        synchronized (asyncLock) {
            if (async != null) {
                throw new IllegalStateException("asynchronous invocations have started already");
            }
            asyncRetryDelays = delays;
        }
    }

    /** Made on first use: most clouds never invoke asynchronously, and its SQS client is not free. */
    private AsyncInvocations asyncInvocations() {
        synchronized (asyncLock) {
            if (async == null) {
                async = new AsyncInvocations(functions(), this, settings::functionArn,
                        asyncRetryDelays != null ? asyncRetryDelays : settings.execution().asyncRetries(),
                        AsyncInvocations.sqsClient(settings.endpoints()));
            }
            return async;
        }
    }

    private final Object asyncLock = new Object();
    private AsyncInvocations async;
    private AsyncRetryDelays asyncRetryDelays;

    /**
     * Deploys the function's artifact again (after its {@code function.zip} was rebuilt), as UpdateFunctionCode
     * does: the zip is unpacked afresh, new invocations start instances of the new code, and the current instances
     * are retired (idle ones now, busy ones once their invocation is answered). Other functions deployed from the
     * same zip keep their code until they are redeployed too. Returns how many instances were retired.
     */
    public int redeploy(String functionName) throws IOException {
        FunctionPool pool = pool(functionName);
        Path source = pool.spec().artifact();
        if (source == null || !Files.exists(source)) {
            throw new IOException("function " + functionName + ": its artifact " + source + " does not exist");
        }
        Path into = settings.workDir().resolve("artifact-" + functionName + "-redeploy-" + redeploys.incrementAndGet());
        return pool.redeploy(FunctionArtifact.unpack(source.toRealPath(), into));
    }

    private final AtomicInteger redeploys = new AtomicInteger();

    /** Kills every instance of the function, as a crash would; returns how many there were. */
    public int kill(String functionName) {
        return pool(functionName).kill();
    }

    public List<FunctionStatus> status() {
        return pools.values().stream().map(FunctionPool::status).toList();
    }

    public Optional<FunctionStatus> status(String functionName) {
        return Optional.ofNullable(pools.get(functionName)).map(FunctionPool::status);
    }

    /** True once every function finished an init. */
    public boolean initialised() {
        return pools.values().stream().allMatch(pool -> pool.status().initialised());
    }

    /**
     * Waits until every function finished its first init or failed it; returns the functions that failed
     * (or were still starting at the deadline).
     */
    public List<FunctionStatus> awaitInit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !pools.values().stream().allMatch(FunctionPool::settled)) {
            Thread.sleep(20);
        }
        List<FunctionStatus> failed = new ArrayList<>();
        for (FunctionPool pool : pools.values()) {
            FunctionStatus status = pool.status();
            if (!status.initialised()) {
                failed.add(status);
            }
        }
        return failed;
    }

    private FunctionPool pool(String functionName) {
        FunctionPool pool = pools.get(functionName);
        if (pool == null) {
            throw new UnknownFunction(functionName);
        }
        return pool;
    }

    @Override
    public void close() {
        // No more retries nor records once the functions go.
        synchronized (asyncLock) {
            if (async != null) {
                async.close();
            }
        }
        List<Thread> closers = new ArrayList<>();
        for (FunctionPool pool : pools.values()) {
            Thread closer = new Thread(pool::close, "close-" + pool.name());
            closer.start();
            closers.add(closer);
        }
        for (Thread closer : closers) {
            try {
                closer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
        background.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A response and the last 4 KB (base64) of what the function logged while producing it, or null. */
    public record Invoked(byte[] payload, String logTail) {}

    /** No function of that name exists in the local Lambda service. */
    public static final class UnknownFunction extends IllegalArgumentException {
        private final String functionName;

        UnknownFunction(String functionName) {
            super("Function not found: " + functionName);
            this.functionName = functionName;
        }

        public String functionName() {
            return functionName;
        }
    }
}
