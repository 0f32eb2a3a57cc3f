package dev.blocks.localcloud.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One request to a {@link LoopbackServer} and its single reply. */
public final class Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Serves one request; an exception it throws becomes a 500 unless a reply was already sent. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    /** The request body is larger than the handler accepts. */
    public static final class PayloadTooLarge extends IOException {
        PayloadTooLarge(long limit) {
            super("request body exceeds " + limit + " bytes");
        }
    }

    private final HttpExchange exchange;
    private boolean replied;

    private Exchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    static void serve(HttpExchange raw, Handler handler) {
        Exchange exchange = new Exchange(raw);
        try {
            handler.handle(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // Almost always the client went away (a killed function process, a closed connection).
            LOG.debug("{} {}: {}", raw.getRequestMethod(), raw.getRequestURI(), e.toString());
            if (!exchange.replied) {
                exchange.replyQuietly(500, "{\"message\":\"Internal Server Error\"}");
            }
        } catch (Exception e) {
            LOG.warn("{} {} failed", raw.getRequestMethod(), raw.getRequestURI(), e);
            if (!exchange.replied) {
                exchange.replyQuietly(500, "{\"message\":\"Internal Server Error\"}");
            }
        } finally {
            raw.close();
        }
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    /** The request URI as received: path and query still percent-encoded. */
    public URI uri() {
        return exchange.getRequestURI();
    }

    public String protocol() {
        return exchange.getProtocol();
    }

    public String remoteAddress() {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    public int localPort() {
        return exchange.getLocalAddress().getPort();
    }

    /** Request headers by name as received, each with every value sent. */
    public Map<String, List<String>> headers() {
        return exchange.getRequestHeaders();
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /**
     * Reads the whole body, refusing one longer than {@code limit} bytes. An oversized body is still read to its
     * end (and dropped) before the refusal: a client still sending when the server answers and closes sees a
     * broken connection instead of the 413.
     */
    public byte[] body(long limit) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
                if (total > limit) {
                    out.reset();
                    continue;
                }
                out.write(buffer, 0, n);
            }
            if (total > limit) {
                throw new PayloadTooLarge(limit);
            }
            return out.toByteArray();
        }
    }

    /** Headers of the reply; set them before {@link #reply}. */
    public Headers replyHeaders() {
        return exchange.getResponseHeaders();
    }

    public void reply(int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        replied = true;
        boolean empty = body == null || body.length == 0;
        // -1 tells the server there is no body at all (required for 204 and 304).
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public void replyJson(int status, Object value) throws IOException {
        byte[] body = value instanceof byte[] bytes ? bytes
                : value instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(value);
        reply(status, "application/json", body);
    }

    private void replyQuietly(int status, String json) {
        try {
            replyJson(status, json);
        } catch (IOException ignored) {
            // the client is gone
        }
    }
}
