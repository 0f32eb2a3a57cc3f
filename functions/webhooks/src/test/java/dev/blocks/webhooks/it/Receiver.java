package dev.blocks.webhooks.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver in the test JVM on 127.0.0.1, reached by the functions as {@code receiver.blocks.test}. Each
 * path answers from its own script of statuses (the last one repeats; 200 when none was set) and records every
 * request it got.
 */
final class Receiver implements AutoCloseable {

    /** One request as the receiver got it. */
    record Request(String path, Map<String, String> headers, byte[] body, Instant at, int answered) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();

    private Receiver(HttpServer server) {
        this.server = server;
    }

    /** A receiver on a free port, or on {@code port} (0: any). */
    static Receiver start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
        Receiver receiver = new Receiver(server);
        server.createContext("/", receiver::handle);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return receiver;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The URL the functions deliver to for {@code path}. */
    String url(String path) {
        return "http://" + Cloud.RECEIVER_HOST + ":" + port() + path;
    }

    /** {@code path} answers these statuses in turn, then keeps answering the last. */
    void script(String path, Integer... statuses) {
        scripts.put(path, new ConcurrentLinkedDeque<>(List.of(statuses)));
    }

    /** {@code path} holds each request this long after recording it, before answering: a slow receiver. */
    void delay(String path, Duration delay) {
        delays.put(path, delay);
    }

    List<Request> requests(String path) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The {@code webhook-id} of each request to {@code path}, in arrival order, repeats included. */
    List<String> webhookIds(String path) {
        return requests(path).stream().map(r -> r.header("webhook-id")).toList();
    }

    List<Request> requestsUnder(String prefix) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().startsWith(prefix)) {
                out.add(r);
            }
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        Deque<Integer> script = scripts.get(path);
        int status = 200;
        if (script != null) {
            Integer next = script.size() > 1 ? script.pollFirst() : script.peekFirst();
            status = next == null ? 200 : next;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        requests.add(new Request(path, headers, body, Instant.now(), status));
        Duration delay = delays.get(path);
        if (delay != null) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = ("answered " + status).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
