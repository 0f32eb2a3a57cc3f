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
 * implementation of the Lambda Runtime API, exactly as in Lambda. One instance per function starts at once.
 */
public final class LambdaService implements FunctionInvoker, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaService.class);

    private final LambdaSettings settings;
    private final Map<String, FunctionPool> pools = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService background;

    private LambdaService(LambdaSettings settings) {
        this.settings = settings;
        this.timer = Executors.newScheduledThreadPool(1, daemon("lambda-timer"));
        this.background = Executors.newCachedThreadPool(daemon("lambda"));
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
                        runtimeInterfaceClient, service.timer, service.background));
            }
            service.pools.values().forEach(FunctionPool::start);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
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

    /** As {@link #invoke(String, byte[])}, with the client context (JSON) a mobile SDK caller may pass. */
    public byte[] invoke(String functionName, byte[] payload, String clientContext) throws FunctionError {
        return pool(functionName).invoke(payload, clientContext, null);
    }

    /** Runs an invocation in the background, as Lambda does for invocation type Event; errors are logged. */
    public void invokeAsync(String functionName, byte[] payload) {
        FunctionPool pool = pool(functionName);
        background.execute(() -> {
            try {
                pool.invoke(payload, null, null);
            } catch (FunctionError e) {
                LOG.warn("function {}: asynchronous invocation failed: {} {}", functionName, e.errorType(),
                        e.getMessage());
            }
        });
    }

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
