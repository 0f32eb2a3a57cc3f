package dev.blocks.localcloud.testfunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A custom runtime, as a native build's {@code bootstrap} is one: it polls the Runtime API itself (no RIC) and
 * answers each invocation with the headers Lambda sent it, so tests can check them.
 */
public final class CustomRuntime {

    private CustomRuntime() {
    }

    public static void main(String[] args) throws IOException {
        String api = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/";
        while (true) {
            HttpURLConnection next = (HttpURLConnection) new URL(api + "next").openConnection();
            if (next.getResponseCode() != 200) {
                return;
            }
            String payload;
            try (InputStream in = next.getInputStream()) {
                payload = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String requestId = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            String answer = "{\"payload\":" + payload
                    + ",\"requestId\":" + Json.string(requestId)
                    + ",\"deadlineMs\":" + Json.string(next.getHeaderField("Lambda-Runtime-Deadline-Ms"))
                    + ",\"functionArn\":" + Json.string(next.getHeaderField("Lambda-Runtime-Invoked-Function-Arn"))
                    + ",\"traceId\":" + Json.string(next.getHeaderField("Lambda-Runtime-Trace-Id"))
                    + ",\"clientContext\":" + Json.string(next.getHeaderField("Lambda-Runtime-Client-Context"))
                    + ",\"taskRoot\":" + Json.string(System.getenv("LAMBDA_TASK_ROOT"))
                    + "}";
            HttpURLConnection response = (HttpURLConnection) new URL(api + requestId + "/response").openConnection();
            response.setRequestMethod("POST");
            response.setDoOutput(true);
            try (OutputStream out = response.getOutputStream()) {
                out.write(answer.getBytes(StandardCharsets.UTF_8));
            }
            if (response.getResponseCode() != 202) {
                throw new IllegalStateException("the Runtime API refused the response: " + response.getResponseCode());
            }
        }
    }
}
