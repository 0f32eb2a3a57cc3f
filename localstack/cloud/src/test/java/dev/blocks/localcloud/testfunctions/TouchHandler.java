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
 * Creates the file named by {@code {"touch": "PATH"}}, else by the environment variable TOUCH_FILE: a side effect
 * that proves an invocation nobody waits for (an Event invocation, a schedule) ran.
 */
public class TouchHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String path = Json.text(new String(input.readAllBytes(), StandardCharsets.UTF_8), "touch");
        if (path == null) {
            path = System.getenv("TOUCH_FILE");
        }
        if (path != null) {
            Files.writeString(Path.of(path), context.getAwsRequestId());
        }
        output.write("{}".getBytes(StandardCharsets.UTF_8));
    }
}
