package dev.blocks.shortener.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.CloudClient;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The shortener as a client sees it: the HTTP API of the local cloud's gateway, plus the API-key admin command. */
final class Api extends CloudClient {

    Api(LocalCloudExtension cloud) {
        super(cloud, Cloud.PREFIX);
    }

    HttpResponse<String> create(String apiKey, String json) {
        return post(apiKey, "/v1/links", json);
    }

    /** Creates a link and returns its JSON, failing unless the answer is 201. */
    JsonNode created(String apiKey, String json) {
        HttpResponse<String> response = create(apiKey, json);
        if (response.statusCode() != 201) {
            throw new AssertionError("expected 201, got " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    HttpResponse<String> redirect(String code) {
        return get(null, "/" + code);
    }

    /**
     * A redirect request sent from a chosen loopback address (127.0.0.0/8 is all loopback on Linux), so that the
     * gateway sees distinct client IPs, as it would for distinct visitors. Returns the status code.
     */
    int visitFrom(String clientIp, String code, String referer) {
        return sendFrom(clientIp, "GET", "/" + code, referer == null ? "" : "Referer: " + referer + "\r\n", "").status();
    }

    /** A redirect request sent from a chosen loopback address (see {@link #visitFrom}), with the whole answer. */
    RawAnswer redirectFrom(String clientIp, String code) {
        return sendFrom(clientIp, "GET", "/" + code, "", "");
    }

    /** A link creation sent from a chosen loopback address (see {@link #visitFrom}). */
    RawAnswer createFrom(String clientIp, String apiKey, String json) {
        return sendFrom(clientIp, "POST", "/v1/links", "X-Api-Key: " + apiKey + "\r\nContent-Type: application/json\r\n", json);
    }

    /** An answer read off the wire: status, headers (names in lower case) and body. */
    record RawAnswer(int status, Map<String, String> headers, String body) {}

    private RawAnswer sendFrom(String clientIp, String method, String path, String headers, String body) {
        URI uri = cloud.gatewayUri(path);
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort(), InetAddress.getByName(clientIp), 0)) {
            socket.setSoTimeout(15_000);
            String request = method + " " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\n" + headers + "User-Agent: it\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String[] head = (split < 0 ? answer : answer.substring(0, split)).split("\r\n");
            Map<String, String> fields = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                if (colon > 0) {
                    fields.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
                }
            }
            return new RawAnswer(Integer.parseInt(head[0].split(" ")[1]), fields, split < 0 ? "" : answer.substring(split + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
