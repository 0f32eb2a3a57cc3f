package dev.blocks.localcloud.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An API Gateway (payload 2.0) function that answers with the very event it received as its body; the body is
 * base64-encoded so that the event needs no escaping, which also exercises the gateway's decoding.
 */
public class GatewayEchoHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        String response = "{\"statusCode\":201"
                + ",\"headers\":{\"content-type\":\"application/json\",\"x-echo\":\"yes\"}"
                + ",\"multiValueHeaders\":{\"x-multi\":[\"one\",\"two\"]}"
                + ",\"cookies\":[\"session=abc; Path=/\",\"theme=dark\"]"
                + ",\"isBase64Encoded\":true"
                + ",\"body\":\"" + Base64.getEncoder().encodeToString(event) + "\"}";
        output.write(response.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers with plain JSON and no statusCode: API Gateway infers a 200 application/json response. */
    public void plain(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write("{\"plain\":true}".getBytes(StandardCharsets.UTF_8));
    }
}
