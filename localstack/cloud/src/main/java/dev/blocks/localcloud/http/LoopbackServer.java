package dev.blocks.localcloud.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server bound to 127.0.0.1. Binding happens at construction, so the URL is known before the handlers
 * exist: functions must be told the gateway's and the Invoke API's URLs before those servers can serve them.
 */
public final class LoopbackServer implements AutoCloseable {

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;

    /** Binds {@code port} on loopback; 0 picks a free port. */
    public LoopbackServer(String name, int port) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        AtomicInteger threads = new AtomicInteger();
        // Handlers may block for long (Runtime API long polls, synchronous invocations): no fixed-size pool.
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, name + "-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Serves every path under {@code pathPrefix} with {@code handler}. */
    public void handle(String pathPrefix, Exchange.Handler handler) {
        server.createContext(pathPrefix, exchange -> Exchange.serve(exchange, handler));
    }

    public void start() {
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        // Interrupts handlers still blocked in a long poll or an invocation.
        executor.shutdownNow();
    }
}
