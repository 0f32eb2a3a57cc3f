package dev.blocks.localcloud.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

/** Fails while the runtime loads it, i.e. during init. */
public class BrokenInitHandler implements RequestStreamHandler {

    static {
        if (Boolean.parseBoolean("true")) {
            throw new IllegalStateException("no configuration");
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
    }
}
