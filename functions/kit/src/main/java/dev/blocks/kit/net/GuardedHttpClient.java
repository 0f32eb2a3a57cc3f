package dev.blocks.kit.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.DnsResolver;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

/**
 * Calls an outbound URL behind the SSRF guard (webhook deliveries, scheduler HTTP targets). The URL is checked
 * again at every call (it may have been registered under other rules), and the client's only DNS resolver is
 * {@link OutboundGuard#pin}: it refuses a host when ANY of its addresses is not public and hands the client the
 * address it checked, so the connection goes to exactly that address and a DNS answer that changes in between
 * (rebinding) cannot steer it inside the network. For https the TLS layer still gets the host name, so SNI and
 * certificate checks are on the name. Redirects are not followed; one deadline covers the whole exchange, from
 * connect to the last byte read; only the first {@link #EXCERPT_BYTES} of the answer are read (a receiver cannot
 * make us read a gigabyte, quickly or slowly).
 */
public final class GuardedHttpClient implements AutoCloseable {

    public static final int EXCERPT_BYTES = 256;

    /**
     * What one call got back: the HTTP status (0 when there was no answer: refused by the guard, connection
     * failure, timeout), how long it took, the first bytes of the body, the error when there was no answer, and the
     * raw {@code Retry-After} header (null when absent).
     */
    public record Answer(int status, Duration latency, String excerpt, String error, String retryAfter) {

        public boolean succeeded() {
            return status >= 200 && status <= 299;
        }
    }

    /** The guard's refusal, carried through the client as the UnknownHostException its resolver may throw. */
    static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }

    private final OutboundGuard guard;
    private final Duration timeout;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    /**
     * {@code maxConnections} open at once in all, {@code maxPerHost} of them to one host (runs or deliveries due
     * together often share a host; a smaller limit queues them behind each other).
     */
    public GuardedHttpClient(OutboundGuard guard, Duration timeout, int maxConnections, int maxPerHost, String userAgent) {
        this.guard = guard;
        this.timeout = timeout;
        DnsResolver pinned = host -> {
            try {
                return new InetAddress[] {guard.pin(host).address()};
            } catch (OutboundUrl.Refused e) {
                throw new Refused(e.getMessage());
            }
        };
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(
                RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", PlainConnectionSocketFactory.getSocketFactory())
                        .register("https", SSLConnectionSocketFactory.getSocketFactory())
                        .build(),
                pinned);
        connections.setMaxTotal(Math.max(1, maxConnections));
        connections.setDefaultMaxPerRoute(Math.max(1, Math.min(maxPerHost, maxConnections)));
        // Pooled connections were pinned when they were opened; do not keep them long.
        connections.setValidateAfterInactivity(2_000);
        int millis = (int) timeout.toMillis();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                        .setConnectionRequestTimeout(millis).setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .evictIdleConnections(30, TimeUnit.SECONDS)
                .setUserAgent(userAgent)
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbound-deadlines");
            t.setDaemon(true);
            return t;
        });
    }

    /** A JSON POST; see {@link #send}. */
    public Answer post(String url, Map<String, String> headers, byte[] body) {
        return send("POST", url, headers, body);
    }

    /**
     * One call: never throws; every failure is an {@link Answer} with status 0 and the error. {@code body} null
     * sends none; a body goes as {@code application/json} unless {@code headers} name another Content-Type.
     */
    public Answer send(String method, String url, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        Optional<String> refusal = guard.urlRefusal(url);
        if (refusal.isPresent()) {
            return failure(start, "refused: " + refusal.get());
        }
        HttpUriRequest request;
        try {
            RequestBuilder builder = RequestBuilder.create(method.toUpperCase(Locale.ROOT)).setUri(url);
            headers.forEach(builder::setHeader);
            if (body != null) {
                ContentType type = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"))
                        ? null : ContentType.APPLICATION_JSON;
                builder.setEntity(new ByteArrayEntity(body, type));
            }
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return failure(start, "invalid URL");
        }
        ScheduledFuture<?> deadline = deadlines.schedule(request::abort, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (CloseableHttpResponse response = client.execute(request)) {
            int status = response.getStatusLine().getStatusCode();
            String excerpt = excerpt(response.getEntity(), request);
            Header retryAfter = response.getFirstHeader("Retry-After");
            return new Answer(status, since(start), excerpt, null, retryAfter == null ? null : retryAfter.getValue());
        } catch (Refused e) {
            return failure(start, "refused: " + e.getMessage());
        } catch (SocketTimeoutException | ConnectTimeoutException e) {
            return failure(start, "timeout after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            if (request.isAborted()) {
                return failure(start, "timeout after " + timeout.toMillis() + " ms");
            }
            return failure(start, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * The first {@link #EXCERPT_BYTES} of the body. A body that ends within them is read to the end, which lets
     * the connection be reused; a longer one is cut by aborting the exchange (closing its stream normally would
     * read the rest).
     */
    private static String excerpt(HttpEntity entity, HttpUriRequest request) throws IOException {
        if (entity == null) {
            return "";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = entity.getContent();
        byte[] buffer = new byte[EXCERPT_BYTES + 1];
        int n = 0;
        while (out.size() <= EXCERPT_BYTES && (n = in.read(buffer, 0, EXCERPT_BYTES + 1 - out.size())) >= 0) {
            out.write(buffer, 0, n);
        }
        if (n < 0) {
            EntityUtils.consume(entity);
        } else {
            request.abort();
        }
        byte[] bytes = out.toByteArray();
        return new String(bytes, 0, Math.min(bytes.length, EXCERPT_BYTES), StandardCharsets.UTF_8);
    }

    private static Answer failure(long start, String error) {
        return new Answer(0, since(start), "", error, null);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
