package dev.blocks.localcloud.emulators;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chosen set of the local cloud's servers, started side by side (start-up time is the slowest server's, not the
 * sum) and stopped together on {@link #close()}. Child processes write their output to files in the log directory.
 */
public final class Emulators implements AutoCloseable {

    public static final String DYNAMODB = "dynamodb";
    public static final String SQS = "sqs";
    public static final String S3 = "s3";
    public static final String KAFKA = "kafka";
    public static final String REDIS = "redis";
    public static final Set<String> ALL = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(DYNAMODB, SQS, S3, KAFKA, REDIS)));

    private static final Logger LOG = LoggerFactory.getLogger(Emulators.class);

    private final Map<String, Emulator> byName;
    private final Duration startupTime;
    private final Map<String, Duration> eachStartupTime;

    private Emulators(Map<String, Emulator> byName, Duration startupTime, Map<String, Duration> eachStartupTime) {
        this.byName = byName;
        this.startupTime = startupTime;
        this.eachStartupTime = eachStartupTime;
    }

    /** Starts all five servers; see {@link #start(Collection, Path, String)}. */
    public static Emulators startAll(Path logDirectory) throws Exception {
        return start(ALL, logDirectory, defaultOwner());
    }

    public static Emulators start(Collection<String> names, Path logDirectory) throws Exception {
        return start(names, logDirectory, defaultOwner());
    }

    /**
     * Starts the named servers in parallel and returns once every one passed its health check. If one fails, the
     * others are stopped again and the failure is thrown.
     *
     * @param owner marks child processes (see {@link dev.blocks.localcloud.process.ChildProcess#OWNER_ENV})
     */
    public static Emulators start(Collection<String> names, Path logDirectory, String owner) throws Exception {
        QuietLogs.apply();
        Map<String, Emulator> byName = new LinkedHashMap<>();
        for (String name : new LinkedHashSet<>(names)) {
            byName.put(name, create(name, logDirectory, owner));
        }
        long begin = System.nanoTime();
        ExecutorService starters = Executors.newFixedThreadPool(Math.max(1, byName.size()), daemon("emulator-start"));
        Map<String, Duration> startupTimes = new ConcurrentHashMap<>();
        Emulators started = new Emulators(Collections.unmodifiableMap(byName), Duration.ZERO, Map.of());
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (Emulator emulator : byName.values()) {
                starts.add(starters.submit(() -> {
                    long since = System.nanoTime();
                    emulator.start();
                    startupTimes.put(emulator.name(), Duration.ofNanos(System.nanoTime() - since));
                    return null;
                }));
            }
            Exception failure = null;
            for (Future<?> start : starts) {
                try {
                    start.get();
                } catch (ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception ex ? ex : e;
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } catch (Exception | Error e) {
            starters.shutdownNow();
            started.close();
            throw e;
        } finally {
            starters.shutdownNow();
        }
        Map<String, Duration> eachStartupTime = new LinkedHashMap<>();
        byName.keySet().forEach(name -> eachStartupTime.put(name, startupTimes.get(name)));
        return new Emulators(started.byName, Duration.ofNanos(System.nanoTime() - begin),
                Collections.unmodifiableMap(eachStartupTime));
    }

    private static Emulator create(String name, Path logDirectory, String owner) throws Exception {
        return switch (name) {
            case DYNAMODB -> new DynamoDbLocalEmulator();
            case SQS -> new SqsEmulator();
            case S3 -> new S3Emulator();
            case KAFKA -> new KafkaEmulator();
            case REDIS -> new RedisEmulator(logDirectory, owner);
            default -> throw new IllegalArgumentException("No emulator named " + name + "; known: " + ALL);
        };
    }

    private static String defaultOwner() {
        return "local-cloud-" + ProcessHandle.current().pid();
    }

    /** The started servers by {@link Emulator#name()}. */
    public Map<String, Emulator> byName() {
        return byName;
    }

    public Emulator get(String name) {
        Emulator emulator = byName.get(name);
        if (emulator == null) {
            throw new IllegalArgumentException(name + " was not started; started: " + byName.keySet());
        }
        return emulator;
    }

    public DynamoDbLocalEmulator dynamoDb() {
        return (DynamoDbLocalEmulator) get(DYNAMODB);
    }

    public SqsEmulator sqs() {
        return (SqsEmulator) get(SQS);
    }

    public S3Emulator s3() {
        return (S3Emulator) get(S3);
    }

    public KafkaEmulator kafka() {
        return (KafkaEmulator) get(KAFKA);
    }

    public RedisEmulator redis() {
        return (RedisEmulator) get(REDIS);
    }

    /** How long the parallel start took, from the first server's start to the last health check. */
    public Duration startupTime() {
        return startupTime;
    }

    /** How long each server took to start and pass its health check, by name. */
    public Map<String, Duration> eachStartupTime() {
        return eachStartupTime;
    }

    /** Stops every server (in parallel) and deletes what they stored; waits for all of them even if interrupted. */
    @Override
    public void close() {
        ExecutorService stoppers = Executors.newFixedThreadPool(Math.max(1, byName.size()), daemon("emulator-stop"));
        boolean interrupted = false;
        try {
            List<Future<?>> stops = new ArrayList<>();
            for (Emulator emulator : byName.values()) {
                stops.add(stoppers.submit(emulator::close));
            }
            for (Future<?> stop : stops) {
                while (true) {
                    try {
                        stop.get();
                        break;
                    } catch (ExecutionException e) {
                        LOG.warn("An emulator did not stop cleanly", e.getCause());
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            stoppers.shutdown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
