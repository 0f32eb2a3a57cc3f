package dev.blocks.localcloud.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sleeps for {@code {"millis": N}}, or until the file named by {@code {"waitFor": "PATH"}} exists, then answers
 * with its process id (which tells instances apart).
 */
public class SleepingHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String request = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        long millis = Json.number(request, "millis", 0);
        String waitFor = Json.text(request, "waitFor");
        try {
            Thread.sleep(millis);
            while (waitFor != null && !Files.exists(Path.of(waitFor)) && context.getRemainingTimeInMillis() > 0) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        output.write(("{\"slept\":" + millis + ",\"pid\":" + ProcessHandle.current().pid() + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
