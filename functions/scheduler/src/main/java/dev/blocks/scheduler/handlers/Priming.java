package dev.blocks.scheduler.handlers;

import dev.blocks.scheduler.domain.JobIds;
import dev.blocks.scheduler.store.JobTable;
import dev.blocks.scheduler.store.RunQueue;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Makes one cheap DynamoDB read and resolves the run queue's URL while the function initialises, so that the
 * first invocation does not also pay for loading and connecting the AWS clients: a worker's first batch is timed
 * against its runs' due times, and init time is not (with SnapStart it is even snapshotted).
 */
@ApplicationScoped
class Priming {

    private static final Logger LOG = Logger.getLogger(Priming.class);

    void prime(@Observes StartupEvent event, JobTable jobs, RunQueue queue) {
        try {
            jobs.find(JobIds.forIdempotencyKey("priming", "priming"));
            queue.queueUrl();
        } catch (SdkException e) {
            LOG.warnf("priming the AWS clients failed (the first invocation pays instead): %s", e.toString());
        }
    }
}
