package dev.blocks.scheduler.targets;

import dev.blocks.kit.net.OutboundUrl;
import dev.blocks.kit.net.PinnedAddress;
import dev.blocks.scheduler.domain.Target;
import dev.blocks.scheduler.domain.TargetRules;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.http.HttpResponse;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.config.RegistryBuilder;
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
 * HTTP(S) targets behind the SSRF guard: the URL is checked again at delivery (rules may have tightened since the
 * job was created), and the client's only DNS resolver is {@link PinnedAddress}, which refuses a host when ANY of
 * its addresses is not public and hands the client the address it checked — so a DNS answer that changes between
 * check and connect (rebinding) cannot steer the request inside the network. Redirects are not followed. A 2xx
 * answer is success; anything else, or no answer within the timeout, is a failed attempt.
 */
public final class HttpDelivery implements AutoCloseable {

    /** The resolver's refusal, carried through the client as the UnknownHostException it expects. */
    static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }

    private final TargetRules rules;
    private final CloseableHttpClient client;

    public HttpDelivery(TargetRules rules, Duration timeout, PinnedAddress.HostResolver dns) {
        this(rules, timeout, dns, 16);
    }

    /**
     * {@code connections}: how many requests may be open at once, to one host as to all of them together. Runs due
     * in the same second often share a host (everyone's report at 09:00); a smaller limit would queue them behind
     * each other inside the worker, so it is the number of runs a worker runs at once.
     */
    public HttpDelivery(TargetRules rules, Duration timeout, PinnedAddress.HostResolver dns, int connections) {
        this.rules = rules;
        DnsResolver guarded = host -> {
            try {
                return new InetAddress[] {PinnedAddress.resolve(host, rules.allowsPrivate(host), dns).address()};
            } catch (OutboundUrl.Refused e) {
                throw new Refused(e.getMessage());
            }
        };
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(
                RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", PlainConnectionSocketFactory.getSocketFactory())
                        .register("https", SSLConnectionSocketFactory.getSocketFactory())
                        .build(),
                guarded);
        pool.setMaxTotal(Math.max(1, connections));
        pool.setDefaultMaxPerRoute(Math.max(1, connections));
        int millis = (int) timeout.toMillis();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                        .setConnectionRequestTimeout(millis).setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("blocks-scheduler")
                .build();
    }

    void deliver(Target.Http target, Delivery delivery) throws DeliveryFailed {
        Optional<String> refusal = rules.urlRefusal(target.url());
        if (refusal.isPresent()) {
            throw new DeliveryFailed("refused " + target.url() + ": " + refusal.get());
        }
        RequestBuilder request = RequestBuilder.create(target.method()).setUri(target.url());
        target.headers().forEach(request::setHeader);
        request.setHeader("Idempotency-Key", delivery.idempotencyKey());
        request.setHeader("X-Job-Id", delivery.jobId());
        request.setHeader("X-Job-Scheduled-At", delivery.scheduledAt().toString());
        request.setHeader("X-Job-Attempt", Integer.toString(delivery.attempt()));
        if (!target.method().equals("GET") && !target.method().equals("DELETE")) {
            request.setEntity(new ByteArrayEntity(delivery.payload().getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
        }
        try (CloseableHttpResponse response = client.execute(request.build())) {
            int status = response.getStatusLine().getStatusCode();
            String body = excerpt(response);
            if (status < 200 || status > 299) {
                throw new DeliveryFailed("HTTP " + status + (body.isEmpty() ? "" : ": " + body));
            }
        } catch (Refused e) {
            throw new DeliveryFailed("refused " + target.url() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new DeliveryFailed(target.method() + " " + target.url() + ": " + e, e);
        }
    }

    private static String excerpt(HttpResponse response) throws IOException {
        if (response.getEntity() == null) {
            return "";
        }
        // Read (and so release the connection) but keep only what a run record can show.
        String body = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
        return body.length() > 200 ? body.substring(0, 200) : body;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
