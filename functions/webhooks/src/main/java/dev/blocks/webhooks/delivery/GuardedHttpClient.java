package dev.blocks.webhooks.delivery;

import dev.blocks.kit.net.OutboundUrl;
import dev.blocks.webhooks.domain.AttemptResult;
import dev.blocks.webhooks.domain.RetryAfter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.http.client.methods.HttpPost;
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
 * POSTs a webhook behind the SSRF guard. The URL is checked again at every delivery (an endpoint may have been
 * registered under other rules), and the client's only DNS resolver is {@link OutboundGuard#pin}: it refuses a
 * host when ANY of its addresses is not public and hands the client the address it checked, so the connection
 * goes to exactly that address and a DNS answer that changes in between (rebinding) cannot steer it inside the
 * network. For https the TLS layer still gets the host name, so SNI and certificate checks are on the name.
 * Redirects are not followed; the whole exchange has a hard deadline; only the first bytes of the response body
 * are read (a receiver cannot make us read a gigabyte).
 */
public final class GuardedHttpClient implements AutoCloseable {

    public static final int EXCERPT_BYTES = 256;

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

    public GuardedHttpClient(OutboundGuard guard, Duration timeout, int maxConnections, String userAgent) {
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
        connections.setMaxTotal(maxConnections);
        connections.setDefaultMaxPerRoute(Math.max(2, maxConnections / 4));
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
            Thread t = new Thread(r, "webhook-deadlines");
            t.setDaemon(true);
            return t;
        });
    }

    /** One attempt: never throws; every failure is an {@link AttemptResult} with status 0 and the error. */
    public AttemptResult post(String url, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        Optional<String> refusal = guard.urlRefusal(url);
        if (refusal.isPresent()) {
            return failure(start, "refused: " + refusal.get());
        }
        HttpPost post;
        try {
            post = new HttpPost(url);
        } catch (IllegalArgumentException e) {
            return failure(start, "invalid URL");
        }
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> deadline = deadlines.schedule(post::abort, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (CloseableHttpResponse response = client.execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            String excerpt = excerpt(response.getEntity(), post);
            Header retryAfter = response.getFirstHeader("Retry-After");
            return new AttemptResult(status, since(start), excerpt, null,
                    retryAfter == null ? null : RetryAfter.parse(retryAfter.getValue(), Instant.now()).orElse(null));
        } catch (Refused e) {
            return failure(start, "refused: " + e.getMessage());
        } catch (SocketTimeoutException | ConnectTimeoutException e) {
            return failure(start, "timeout after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            if (post.isAborted()) {
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
    private static String excerpt(HttpEntity entity, HttpPost post) throws IOException {
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
            post.abort();
        }
        byte[] bytes = out.toByteArray();
        return new String(bytes, 0, Math.min(bytes.length, EXCERPT_BYTES), StandardCharsets.UTF_8);
    }

    private static AttemptResult failure(long start, String error) {
        return new AttemptResult(0, since(start), "", error, null);
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
