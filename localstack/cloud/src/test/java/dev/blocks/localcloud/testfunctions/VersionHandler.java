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
 * Answers with the {@code version.txt} its deployment package carries (in {@code LAMBDA_TASK_ROOT}) and its process
 * id, after waiting for the file named by {@code {"waitFor": "PATH"}} if there is one: tells a redeployed artifact
 * from the old one, and holds an invocation in flight for as long as a test needs. Uses nothing but the JDK, as it is
 * deployed from a zip of its class alone.
 */
public class VersionHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String request = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String version = Files.readString(Path.of(System.getenv("LAMBDA_TASK_ROOT"), "version.txt")).trim();
        var waitFor = java.util.regex.Pattern.compile("\"waitFor\"\\s*:\\s*\"([^\"]*)\"").matcher(request);
        try {
            while (waitFor.find(0) && !Files.exists(Path.of(waitFor.group(1))) && context.getRemainingTimeInMillis() > 0) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("version " + version + " answering " + context.getAwsRequestId());
        output.write(("{\"version\":\"" + version + "\",\"pid\":" + ProcessHandle.current().pid()
                + ",\"requestId\":\"" + context.getAwsRequestId() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
