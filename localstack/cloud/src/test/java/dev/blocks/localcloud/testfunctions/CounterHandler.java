package dev.blocks.localcloud.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts in a background thread started at init, one tick every 5 ms, and answers {@code {"ticks": N}}: how much
 * CPU its background work got. Under Lambda's freeze the count stands still between invocations.
 */
public class CounterHandler implements RequestStreamHandler {

    private static final AtomicLong TICKS = new AtomicLong();

    static {
        Thread counter = new Thread(() -> {
            while (true) {
                TICKS.incrementAndGet();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "background-counter");
        counter.setDaemon(true);
        counter.start();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        System.out.println("counter at " + TICKS.get());
        output.write(("{\"ticks\":" + TICKS.get() + "}").getBytes(StandardCharsets.UTF_8));
    }
}
