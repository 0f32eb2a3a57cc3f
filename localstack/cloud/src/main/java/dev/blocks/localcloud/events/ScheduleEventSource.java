package dev.blocks.localcloud.events;

import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.lambda.FunctionInvoker.FunctionError;
import dev.blocks.localcloud.spec.ScheduleSpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EventBridge schedule rule or EventBridge Scheduler schedule targeting a function. Each tick invokes the
 * function asynchronously, as EventBridge does (Lambda queues the event, retries it and sends it to the function's
 * destinations), so a run longer than the period does not delay the next tick and runs may overlap. A rate
 * schedule ticks at whole periods after {@link #start()}; a cron schedule at the expression's times in UTC; a
 * one-time {@code at()} schedule once, unless its time has passed. Ticks missed while the machine slept are
 * skipped, not replayed.
 */
public final class ScheduleEventSource implements EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleEventSource.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScheduleSpec spec;
    private final FunctionInvoker invoker;
    private final String region;
    private final ScheduleExpression expression;
    private ScheduledExecutorService ticks;
    private volatile boolean running;

    /** @throws IllegalArgumentException when the expression is not a valid EventBridge schedule expression */
    public ScheduleEventSource(ScheduleSpec spec, FunctionInvoker invoker, String region) {
        this.spec = spec;
        this.invoker = invoker;
        this.region = region;
        this.expression = ScheduleExpression.parse(spec.expression());
        if (spec.schedulerGroup().isPresent() && spec.input().filter(i -> i.contains("\\u003caws.scheduler.")).isPresent()) {
            // Terraform's jsonencode() escapes angle brackets; the documented keywords are the literal text.
            LOG.warn("schedule {}: its input has an escaped <aws.scheduler.*> keyword (\\u003c...), which is not"
                    + " replaced; write the input without jsonencode() (or replace \\u003c/\\u003e back)", spec.name());
        }
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
        running = true;
        scheduleAfter(Instant.now());
    }

    /**
     * Fires the schedule once now, besides its ticks; the future ends with the function's first run of the event
     * (exceptionally if that run failed).
     */
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
        // Events already handed to Lambda are Lambda's: its queue runs them, as on AWS after a rule is disabled.
        ticks.shutdownNow();
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

    /**
     * Hands the tick's event to Lambda as an asynchronous invocation, as EventBridge does: Lambda's queue retries
     * it and sends it to the function's destinations. The future ends with the function's first run.
     */
    private CompletableFuture<Void> run(Instant time) {
        byte[] event = event(time);
        FunctionInvoker.Queued queued;
        try {
            queued = invoker.invokeAsync(spec.functionName(), event);
        } catch (RuntimeException e) {
            LOG.warn("{} could not be invoked for the tick of {} at {}", spec.functionName(), spec.name(), time, e);
            return CompletableFuture.failedFuture(e);
        }
        return queued.firstAttempt().whenComplete((ignored, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                LOG.info("{} failed on the tick of {} at {} ({})", spec.functionName(), spec.name(), time,
                        cause instanceof FunctionError error ? error.errorType() + ": " + error.getMessage() : cause);
            }
        });
    }

    /**
     * What the target receives. A rule: its constant {@code input} as it is, else the scheduled event. A Scheduler
     * schedule: its {@code input} with the context attributes filled in, else Scheduler's default notification.
     */
    byte[] event(Instant time) {
        if (spec.schedulerGroup().isEmpty()) {
            return spec.input().map(input -> input.getBytes(StandardCharsets.UTF_8))
                    .orElseGet(() -> ScheduledEvent.of(spec.name(), time, region));
        }
        String arn = "arn:aws:scheduler:" + region + ":" + LocalAccount.ID + ":schedule/"
                + spec.schedulerGroup().get() + "/" + spec.name();
        return spec.input()
                .map(input -> withContextAttributes(input, arn, time, executionId(), 1).getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> ScheduledEvent.ofScheduler(arn, time, region));
    }

    /**
     * Scheduler's context attributes, replaced wherever they appear in the input. The attempt number counts
     * Scheduler's own deliveries of the invocation (Lambda accepts an asynchronous invocation at once, so the first
     * attempt is the only one); Lambda's retries of the event carry the same payload.
     */
    static String withContextAttributes(String input, String scheduleArn, Instant scheduledTime, String executionId,
                                        int attempt) {
        return input.replace("<aws.scheduler.schedule-arn>", scheduleArn)
                .replace("<aws.scheduler.scheduled-time>", scheduledTime.truncatedTo(ChronoUnit.SECONDS).toString())
                .replace("<aws.scheduler.execution-id>", executionId)
                .replace("<aws.scheduler.attempt-number>", Integer.toString(attempt));
    }

    /** Sixteen lower-case letters and digits, as Scheduler's execution ids look. */
    private static String executionId() {
        StringBuilder id = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            id.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return id.toString();
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
