package dev.blocks.localcloud.events;

import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import dev.blocks.localcloud.spec.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EventBridge schedule rule targeting a function. Each tick invokes the function on its own thread, so a run
 * longer than the period does not delay the next tick (runs may overlap, as in AWS). A rate schedule ticks at
 * whole periods after {@link #start()}; a cron schedule at the expression's times in UTC. Ticks missed while the
 * machine slept are skipped, not replayed.
 */
public final class ScheduleEventSource implements EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleEventSource.class);
    /** Longer than Lambda's longest function timeout: runs under way are given the time to end. */
    private static final Duration STOP_WAIT = Duration.ofMinutes(16);

    private final ScheduleSpec spec;
    private final FunctionInvoker invoker;
    private final String region;
    private final ScheduleExpression expression;
    private ScheduledExecutorService ticks;
    private ExecutorService invocations;
    private volatile boolean running;

    /** @throws IllegalArgumentException when the expression is not a valid EventBridge schedule expression */
    public ScheduleEventSource(ScheduleSpec spec, FunctionInvoker invoker, String region) {
        this.spec = spec;
        this.invoker = invoker;
        this.region = region;
        this.expression = ScheduleExpression.parse(spec.expression());
    }

    public ScheduleSpec spec() {
        return spec;
    }

    @Override
    public synchronized void start() {
        if (ticks != null) {
            throw new IllegalStateException("schedule " + spec.name() + " was already started");
        }
        ticks = Executors.newSingleThreadScheduledExecutor(daemonThreads("schedule-" + spec.name()));
        invocations = Executors.newCachedThreadPool(daemonThreads("schedule-" + spec.name() + "-run"));
        running = true;
        scheduleAfter(Instant.now());
    }

    /** Fires the rule once now, besides its schedule; the future ends with the run (exceptionally on an error). */
    public CompletableFuture<Void> fire() {
        if (!running) {
            throw new IllegalStateException("schedule " + spec.name() + " is not running");
        }
        return run(Instant.now());
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (ticks == null) {
            return;
        }
        ticks.shutdownNow();
        invocations.shutdown();
        try {
            if (!invocations.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("runs of {} were still under way when schedule {} stopped", spec.functionName(), spec.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void scheduleAfter(Instant previous) {
        Instant now = Instant.now();
        Instant next = expression.nextAfter(previous);
        while (next.isBefore(now) && !next.equals(Instant.MAX)) {
            next = expression.nextAfter(next);
        }
        if (next.equals(Instant.MAX)) {
            LOG.info("schedule {} has no more ticks", spec.name());
            return;
        }
        Instant tick = next;
        ticks.schedule(() -> tick(tick), Duration.between(now, tick).toNanos(), TimeUnit.NANOSECONDS);
    }

    private void tick(Instant time) {
        if (!running) {
            return;
        }
        try {
            run(time);
            scheduleAfter(time);
        } catch (RejectedExecutionException e) {
            // stop() shut the executors down while this tick was starting.
        }
    }

    private CompletableFuture<Void> run(Instant time) {
        // An EventBridge target with constant `input` delivers that JSON instead of the scheduled event.
        byte[] event = spec.input()
                .map(input -> input.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .orElseGet(() -> ScheduledEvent.of(spec.name(), time, region));
        return CompletableFuture.runAsync(() -> {
            try {
                invoker.invoke(spec.functionName(), event);
            } catch (FunctionError e) {
                LOG.info("{} failed on the tick of {} at {} ({}: {})", spec.functionName(), spec.name(), time,
                        e.errorType(), e.getMessage());
                throw new CompletionException(e);
            } catch (RuntimeException e) {
                LOG.warn("{} could not be invoked for the tick of {} at {}", spec.functionName(), spec.name(), time, e);
                throw e;
            }
        }, invocations);
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
