package dev.blocks.kit.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard and the delivery client against a receiver on this machine's loopback. Names are resolved by a
 * test resolver (the machine has no DNS to speak of): {@code receiver.test} is the allowed local receiver,
 * {@code loopback.test} an ordinary name that resolves to loopback.
 */
class GuardedHttpClientTest {

    private static final byte[] BODY = "{\"type\":\"t\"}".getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger lookups = new AtomicInteger();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile String loopbackAnswer = "127.0.0.1";
    private HttpServer receiver;
    private GuardedHttpClient client;
    private OutboundGuard guard;
    private int port;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().getPath());
            String path = exchange.getRequestURI().getPath();
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (path.equals("/echo")) {
                received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("X-Token")
                        + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            }
            if (path.equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", "http://receiver.test:" + port + "/elsewhere");
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals("/large")) {
                byte[] big = "x".repeat(1_000_000).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, big.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(big);
                } catch (IOException e) {
                    // The client stops reading after the excerpt.
                }
            } else if (path.equals("/busy")) {
                exchange.getResponseHeaders().add("Retry-After", "30");
                exchange.sendResponseHeaders(429, -1);
            } else {
                byte[] ok = "thanks".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
            exchange.close();
        });
        receiver.start();
        port = receiver.getAddress().getPort();
        PinnedAddress.HostResolver dns = host -> {
            lookups.incrementAndGet();
            return switch (host) {
                case "receiver.test" -> List.of(InetAddress.getByName("127.0.0.1"));
                case "loopback.test" -> List.of(InetAddress.getByName(loopbackAnswer));
                case "mixed.test" -> List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1"));
                default -> host.matches("[0-9.:]+") ? List.of(InetAddress.getByName(host)) : failLookup(host);
            };
        };
        guard = new OutboundGuard(Set.of("receiver.test"), dns);
        client = new GuardedHttpClient(guard, Duration.ofSeconds(2), 8, 2, "test");
    }

    private static List<InetAddress> failLookup(String host) throws UnknownHostException {
        throw new UnknownHostException(host);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        receiver.stop(0);
    }

    @Test
    void deliversToTheAllowedReceiver() {
        GuardedHttpClient.Answer result = client.post("http://receiver.test:" + port + "/hook", Map.of("webhook-id", "msg_1"), BODY);

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.excerpt()).isEqualTo("thanks");
        assertThat(received).containsExactly("/hook");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "loopback.test", "mixed.test",
            "localhost", "[::ffff:127.0.0.1]", "0x7f.1", "2130706433"})
    void registrationAndDeliveryRefuseInternalDestinations(String host) {
        String url = "http://" + host + ":" + port + "/hook";

        assertThat(guard.registrationRefusal(url)).as(url).isPresent();
        GuardedHttpClient.Answer result = client.post(url, Map.of(), BODY);
        assertThat(result.status()).as(url).isZero();
        assertThat(result.error()).as(url).startsWith("refused");
        assertThat(received).isEmpty();
    }

    @Test
    void onlyHttpAndHttpsAreAllowed() {
        assertThat(guard.registrationRefusal("ftp://receiver.test/x")).isPresent();
        assertThat(guard.registrationRefusal("file:///etc/passwd")).isPresent();
        assertThat(guard.registrationRefusal("http://user:pass@receiver.test/x")).isPresent();
        assertThat(guard.registrationRefusal("http://receiver.test:" + port + "/x")).isEmpty();
    }

    /** A name that was public at registration and points inside later (rebinding) is refused when delivering. */
    @Test
    void aNameReboundToLoopbackAfterRegistrationIsRefusedAtDelivery() {
        loopbackAnswer = "93.184.216.34";
        assertThat(guard.registrationRefusal("http://loopback.test:" + port + "/hook")).isEmpty();
        loopbackAnswer = "127.0.0.1";

        GuardedHttpClient.Answer result = client.post("http://loopback.test:" + port + "/hook", Map.of(), BODY);

        assertThat(result.error()).startsWith("refused").contains("127.0.0.1");
        assertThat(received).isEmpty();
    }

    /** The client connects to the address the guard checked: one lookup per new connection, none of its own. */
    @Test
    void theCheckedAddressIsTheOneConnectedTo() {
        lookups.set(0);
        client.post("http://receiver.test:" + port + "/one", Map.of(), BODY);
        client.post("http://receiver.test:" + port + "/two", Map.of(), BODY);

        assertThat(received).containsExactly("/one", "/two");
        assertThat(lookups.get()).isBetween(1, 2);
    }

    @Test
    void redirectsAreNotFollowed() {
        GuardedHttpClient.Answer result = client.post("http://receiver.test:" + port + "/redirect", Map.of(), BODY);

        assertThat(result.status()).isEqualTo(302);
        assertThat(result.succeeded()).isFalse();
        assertThat(received).containsExactly("/redirect");
    }

    @Test
    void onlyAnExcerptOfTheResponseIsRead() {
        GuardedHttpClient.Answer result = client.post("http://receiver.test:" + port + "/large", Map.of(), BODY);

        assertThat(result.status()).isEqualTo(500);
        assertThat(result.excerpt()).hasSize(GuardedHttpClient.EXCERPT_BYTES);
    }

    @Test
    void retryAfterIsPassedOn() {
        GuardedHttpClient.Answer result = client.post("http://receiver.test:" + port + "/busy", Map.of(), BODY);

        assertThat(result.status()).isEqualTo(429);
        assertThat(result.retryAfter()).isEqualTo("30");
    }

    /** A receiver that accepts the connection and never answers costs at most the timeout. */
    @Test
    void aHangingReceiverTimesOut() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(blackHole.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            GuardedHttpClient.Answer result = client.post("http://receiver.test:" + blackHole.getLocalPort() + "/hook", Map.of(), BODY);

            assertThat(result.status()).isZero();
            assertThat(result.error()).startsWith("timeout");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aClosedPortIsAFailedAttemptNotAnException() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        GuardedHttpClient.Answer result = client.post("http://receiver.test:" + closed + "/hook", Map.of(), BODY);

        assertThat(result.status()).isZero();
        assertThat(result.error()).isNotBlank();
    }

    @Test
    void sendsTheMethodHeadersAndBody() {
        GuardedHttpClient.Answer put = client.send("PUT", "http://receiver.test:" + port + "/echo",
                Map.of("X-Token", "Bearer t1"), BODY);
        GuardedHttpClient.Answer get = client.send("GET", "http://receiver.test:" + port + "/echo",
                Map.of("X-Token", "Bearer t2"), null);

        assertThat(put.status()).isEqualTo(200);
        assertThat(get.status()).isEqualTo(200);
        assertThat(received).containsExactly("/echo", "PUT Bearer t1 application/json; charset=UTF-8", "/echo", "GET Bearer t2 null");
        assertThat(bodies).containsExactly("{\"type\":\"t\"}", "");
    }

    /**
     * An answer that would go on for a gibibyte: the client keeps the excerpt and drops the connection, so the
     * receiver can write little more than what the sockets buffer before its writes fail.
     */
    @Test
    void aGibibyteAnswerIsCutAfterTheExcerpt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long[] written = {0};
            Thread writer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    readHead(s);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + (1L << 30) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    while (written[0] < (1L << 30)) {
                        out.write(chunk);
                        written[0] += chunk.length;
                    }
                } catch (IOException e) {
                    // The client closed the connection: what this test expects.
                }
            });
            writer.start();
            long start = System.nanoTime();

            GuardedHttpClient.Answer answer = client.send("GET", "http://receiver.test:" + server.getLocalPort() + "/big", Map.of(), null);

            writer.join(5_000);
            assertThat(writer.isAlive()).as("the receiver's writes failed").isFalse();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.excerpt()).hasSize(GuardedHttpClient.EXCERPT_BYTES);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(written[0]).as("bytes the receiver got out before the connection closed").isLessThan(64L << 20);
        }
    }

    /** A receiver that drips its answer a byte at a time never resets the clock: one deadline covers the exchange. */
    @Test
    void aDrippingAnswerEndsAtTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread dripper = new Thread(() -> {
                try (Socket s = server.accept()) {
                    readHead(s);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the client
                }
            });
            dripper.setDaemon(true);
            dripper.start();
            long start = System.nanoTime();

            GuardedHttpClient.Answer answer = client.send("GET", "http://receiver.test:" + server.getLocalPort() + "/drip", Map.of(), null);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer.status()).isZero();
            assertThat(answer.error()).startsWith("timeout");
            assertThat(took).isBetween(Duration.ofMillis(1_900), Duration.ofMillis(4_000));
        }
    }

    private static void readHead(Socket s) throws IOException {
        java.io.InputStream in = s.getInputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }
}
