package dev.blocks.localcloud.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one line per run ({@code REQUEST_ID MILLIS}) to the file {@code {"runs": PATH}} names, so a test can
 * count how often and when an event was tried; then fails with the message of {@code {"fail": "MESSAGE"}} if the event has one, else answers
 * {@code {"ok": true, "runs": PATH}}.
 */
public class FailOnDemandHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String runs = Json.text(event, "runs");
        if (runs != null) {
            Files.writeString(Path.of(runs), context.getAwsRequestId() + " " + System.currentTimeMillis() + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        String failure = Json.text(event, "fail");
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        output.write(("{\"ok\":true,\"runs\":" + Json.string(runs) + "}").getBytes(StandardCharsets.UTF_8));
    }
}
