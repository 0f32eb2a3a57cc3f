package dev.blocks.scheduler.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.lambda.Invocation;
import dev.blocks.kit.lambda.LambdaFunction;
import dev.blocks.scheduler.store.RunMessage;
import dev.blocks.scheduler.store.RunQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * jobs-worker, fed by the run queue's event source mapping (ReportBatchItemFailures). The messages of a batch
 * run side by side, since runs due in the same second arrive together and each mostly waits on its target. A
 * message that should come back later (a retry after its backoff, a run not yet due) is hidden for that long and
 * reported failed; the rest are deleted by the mapping. It reads the raw SQS event rather than the kit's
 * {@code SqsFunction} because it needs each message's receipt handle for the visibility heartbeat.
 */
@ApplicationScoped
@Named(JobsWorker.NAME)
class JobsWorker implements LambdaFunction {

    static final String NAME = "jobs-worker";

    private static final Logger LOG = Logger.getLogger(JobsWorker.class);

    private final RunExecutor executor;
    private final RunQueue queue;
    private final ExecutorService pool;

    JobsWorker(RunExecutor executor, RunQueue queue, WorkerPool pool) {
        this.executor = executor;
        this.queue = queue;
        this.pool = pool.executor();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode invoke(JsonNode event) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        List<Future<Boolean>> results = new ArrayList<>();
        StartGate gate = new StartGate(event.path("Records").size());
        Invocation invocation = Invocation.current();
        for (JsonNode record : event.path("Records")) {
            String messageId = record.path("messageId").asText();
            String receipt = record.path("receiptHandle").asText();
            String body = record.path("body").asText();
            ids.add(messageId);
            StartGate.Ticket ticket = gate.ticket();
            // The run's log lines carry this invocation's request id and function.
            results.add(pool.submit(() -> Invocation.callWith(invocation, () -> handle(messageId, receipt, body, ticket))));
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        for (int i = 0; i < ids.size(); i++) {
            boolean done;
            try {
                done = results.get(i).get();
            } catch (ExecutionException e) {
                LOG.warnf(e.getCause(), "message %s failed; it comes back after the visibility timeout", ids.get(i));
                done = false;
            }
            if (!done) {
                failures.addObject().put("itemIdentifier", ids.get(i));
            }
        }
        return response;
    }

    private boolean handle(String messageId, String receipt, String body, StartGate.Ticket gate) throws InterruptedException {
        RunMessage message;
        try {
            message = RunMessage.parse(body);
        } catch (IllegalArgumentException e) {
            gate.started();
            LOG.errorf("dropping message %s: %s", messageId, e.getMessage());
            return true;
        }
        RunExecutor.Verdict verdict = executor.execute(message, receipt, gate);
        LOG.debugf("job %s run %s: %s", message.jobId(), message.scheduledAt(), verdict.note());
        if (!verdict.done()) {
            queue.hide(receipt, verdict.hideSeconds());
        }
        return verdict.done();
    }
}
