package dev.blocks.localcloud.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

/** Exits while the runtime loads it, before it ever asks for an invocation. */
public class ExitingHandler implements RequestStreamHandler {

    static {
        System.exit(3);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
    }
}
