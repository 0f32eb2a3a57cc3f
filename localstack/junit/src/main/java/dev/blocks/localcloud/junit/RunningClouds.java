package dev.blocks.localcloud.junit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The clouds of this test JVM: one per distinct mode and request, started on first use and stopped when the JVM
 * exits (jqwik properties run after JUnit Jupiter's tests, on the same clouds).
 *
 * <p>Quarkus loads test code once per application class loader, so a static map alone would start one cloud per
 * loader. A started cloud is therefore also published as a system property holding only strings (its pid and
 * endpoints), which every loader sees; the loader that started it stays the one that stops it.
 */
final class RunningClouds {

    // Not under "blocks.": Quarkus validates every property of that prefix against the kit's @ConfigMapping.
    private static final String PUBLISHED = "dev.blocks.localcloud.running.";
    private static final Map<String, RunningCloud> STARTED_HERE = new ConcurrentHashMap<>();
    private static final AtomicBoolean STOP_AT_EXIT = new AtomicBoolean();

    private RunningClouds() {}

    /** A cloud in use: its registry key and where its services answer. */
    record InUse(String key, Endpoints endpoints) {}

    static InUse obtain(CloudRequest request) {
        CloudMode mode = CloudMode.configured().resolve(DockerEngine::answers);
        String key = PUBLISHED + mode.label() + "." + request.key();
        // An interned string is one object per JVM: the only lock every class loader shares without a common class.
        synchronized (key.intern()) {
            Endpoints running = published(key);
            if (running != null) {
                return new InUse(key, running);
            }
            long started = System.nanoTime();
            RunningCloud cloud = RunningCloud.start(mode, request);
            STARTED_HERE.put(key, cloud);
            if (STOP_AT_EXIT.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(RunningClouds::stopAll, "local-cloud-stop"));
            }
            System.setProperty(key, cloud.pid() + " " + cloud.endpointsJson());
            Endpoints endpoints = EndpointsJson.parse(cloud.endpointsJson());
            System.out.printf("[local-cloud] %s cloud (%s) started in %.1f s: gateway %s, admin %s; log %s%n",
                    mode.label(), request.describe(), (System.nanoTime() - started) / 1e9,
                    endpoints.gateway(), endpoints.admin(), cloud.log());
            return new InUse(key, endpoints);
        }
    }

    /** Whether the cloud under this key is up (published, its process alive), from any class loader. */
    static boolean running(String key) {
        return published(key) != null;
    }

    /** Stops the cloud under this key if this class loader started it; others are stopped by their starter. */
    static void stop(String key) {
        synchronized (key.intern()) {
            RunningCloud cloud = STARTED_HERE.remove(key);
            if (cloud != null) {
                System.clearProperty(key);
                cloud.close();
            }
        }
    }

    static void stopAll() {
        for (String key : STARTED_HERE.keySet()) {
            try {
                stop(key);
            } catch (RuntimeException e) {
                System.err.println("[local-cloud] could not stop " + key + ": " + e);
            }
        }
    }

    private static Endpoints published(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            return null;
        }
        int space = value.indexOf(' ');
        long pid = Long.parseLong(value.substring(0, space));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return EndpointsJson.parse(value.substring(space + 1));
        }
        System.clearProperty(key);
        return null;
    }
}
