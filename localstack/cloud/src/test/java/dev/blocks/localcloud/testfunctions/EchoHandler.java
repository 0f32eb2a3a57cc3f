package dev.blocks.localcloud.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Answers with what it received and what it can see of its environment, as JSON. Runs in a function process
 * started by the local Lambda service, so it uses nothing but the JDK and aws-lambda-java-core.
 */
public class EchoHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String received = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String json = "{\"received\":" + received
                + ",\"requestId\":" + Json.string(context.getAwsRequestId())
                + ",\"functionName\":" + Json.string(context.getFunctionName())
                + ",\"functionArn\":" + Json.string(context.getInvokedFunctionArn())
                + ",\"remainingMillis\":" + context.getRemainingTimeInMillis()
                + ",\"pid\":" + ProcessHandle.current().pid()
                + ",\"clientContext\":" + Json.string(context.getClientContext() == null ? null
                        : String.valueOf(context.getClientContext().getCustom()))
                + ",\"env\":" + Json.environment(System.getenv())
                + "}";
        output.write(json.getBytes(StandardCharsets.UTF_8));
    }
}
