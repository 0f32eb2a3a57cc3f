package dev.blocks.localcloud.emulators;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every emulator shares: the port is chosen once and kept for good, so that a restart lands where
 * clients already point; {@link #start()} returns only after the server answered a health check.
 */
abstract class ServerEmulator implements Emulator {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ServerEmulator.class);

    private final String name;
    private int port;
    private boolean running;

    ServerEmulator(String name) {
        this.name = name;
        QuietLogs.apply();
    }

    /** Starts the server on {@code port}; may return before it serves. */
    abstract void launch(int port) throws Exception;

    /** Stops the server and releases its port; called only after {@link #launch} was attempted. */
    abstract void halt() throws Exception;

    /** One health probe; an exception counts as "not yet". */
    abstract boolean healthy() throws Exception;

    /** Where to look when the server failed to start, e.g. "; see target/redis.log"; empty when nothing helps. */
    String diagnosis() {
        return "";
    }

    /** False once a server that runs apart from this JVM went away on its own (a crash, a kill). */
    boolean alive() {
        return true;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final synchronized void start() throws Exception {
        if (running && alive()) {
            return;
        }
        if (running) {
            // it died on its own: clear what is left before starting anew
            running = false;
            haltQuietly();
        }
        if (port == 0) {
            port = freePort();
        }
        try {
            launch(port);
            awaitHealthy();
        } catch (Exception | Error e) {
            haltQuietly();
            throw e;
        }
        running = true;
    }

    @Override
    public final synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        haltQuietly();
    }

    @Override
    public final synchronized boolean running() {
        return running && alive();
    }

    /** The port chosen at the first start; it never changes afterwards. */
    public final synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException(name + " was never started, so it has no port yet");
        }
        return port;
    }

    final String httpEndpoint() {
        return "http://127.0.0.1:" + port();
    }

    private void haltQuietly() {
        try {
            halt();
        } catch (Exception e) {
            LOG.warn("{} did not stop cleanly", name, e);
        }
    }

    private void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited while starting on port " + port + diagnosis());
            }
            try {
                if (healthy()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(25);
        }
        TimeoutException timeout = new TimeoutException(name + " on port " + port + " failed its health check within "
                + HEALTH_TIMEOUT.toSeconds() + " s");
        if (last != null) {
            timeout.initCause(last);
        }
        throw timeout;
    }

    /**
     * A port free on every interface (a bind to the wildcard address), hence on loopback too; DynamoDB Local
     * listens on all interfaces, the others on 127.0.0.1 only.
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(0));
            return socket.getLocalPort();
        }
    }

    /** True when an HTTP server answers at all: any status proves it is serving requests. */
    static boolean answersHttp(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(PROBE_TIMEOUT).GET().build();
        return ProbeClient.INSTANCE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
    }

    private static final class ProbeClient {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .connectTimeout(PROBE_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }
}
