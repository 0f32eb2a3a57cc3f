package dev.blocks.scheduler.handlers;

import dev.blocks.kit.config.FunctionConfig;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.kit.net.PinnedAddress;
import dev.blocks.kit.secrets.SecretCipher;
import dev.blocks.scheduler.domain.Backoff;
import dev.blocks.scheduler.domain.CatchUp;
import dev.blocks.scheduler.domain.DueBuckets;
import dev.blocks.scheduler.domain.FunctionWait;
import dev.blocks.scheduler.domain.JobRules;
import dev.blocks.scheduler.domain.OwnerShards;
import dev.blocks.scheduler.domain.TargetRules;
import dev.blocks.scheduler.store.DueIndex;
import dev.blocks.scheduler.store.JobTable;
import dev.blocks.scheduler.store.RunLedger;
import dev.blocks.scheduler.store.RunQueue;
import dev.blocks.scheduler.store.SealedHeaders;
import dev.blocks.scheduler.targets.FunctionDelivery;
import dev.blocks.scheduler.targets.HttpDelivery;
import dev.blocks.scheduler.targets.QueueDelivery;
import dev.blocks.scheduler.targets.Targets;
import dev.blocks.scheduler.targets.TopicDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the plain domain, store and target objects from configuration; nothing else in the module knows CDI. */
@ApplicationScoped
class Wiring {

    @Produces
    @Singleton
    DueBuckets buckets(SchedulerConfig config) {
        return new DueBuckets(config.bucket(), config.shards());
    }

    @Produces
    @Singleton
    OutboundGuard outboundGuard(SchedulerConfig config) {
        return new OutboundGuard(names(config.targets().allowedPrivateHosts()), PinnedAddress.HostResolver.SYSTEM);
    }

    @Produces
    @Singleton
    TargetRules targetRules(SchedulerConfig config, FunctionConfig function, OutboundGuard guard) {
        String prefix = function.prefix();
        Set<String> own = Set.of(prefix + "-jobs-api", prefix + "-jobs-dispatcher", prefix + "-jobs-worker");
        SchedulerConfig.Targets targets = config.targets();
        return new TargetRules(prefix, own, guard, names(targets.allowedFunctions()), names(targets.allowedQueues()),
                names(targets.allowedTopics()));
    }

    // Application-scoped (a proxy over the interface), so the dispatcher, which never touches headers, starts
    // without the cipher's configuration.
    @Produces
    @ApplicationScoped
    SecretCipher secretCipher(SchedulerConfig config) {
        SchedulerConfig.Secrets secrets = config.secrets();
        return SecretCipher.configured(secrets.cipher(), secrets.kmsKeyId(), secrets.localKey(), "blocks.scheduler.secrets");
    }

    @Produces
    @Singleton
    SealedHeaders sealedHeaders(SecretCipher cipher) {
        return new SealedHeaders(cipher);
    }

    private static Set<String> names(Optional<List<String>> values) {
        return values.orElse(List.of()).stream().map(String::strip).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
    }

    @Produces
    @Singleton
    JobRules jobRules(SchedulerConfig config, TargetRules targets) {
        return new JobRules(new CatchUp(config.catchUp()), config.maxPayloadBytes(), config.maxAttempts(),
                config.maxAttemptsLimit(), targets);
    }

    @Produces
    @Singleton
    Admission admission(SchedulerConfig config, DueBuckets buckets) {
        return new Admission(buckets, settings(config).horizon(), config.dispatcher().leaseGrace(), config.early());
    }

    @Produces
    @Singleton
    JobTable jobTable(DynamoDbClient dynamo, SchedulerConfig config) {
        return new JobTable(dynamo, config.table(), new OwnerShards(config.ownerShards()));
    }

    @Produces
    @Singleton
    DueIndex dueIndex(DynamoDbClient dynamo, SchedulerConfig config) {
        return new DueIndex(dynamo, config.table());
    }

    @Produces
    @Singleton
    RunLedger runLedger(DynamoDbClient dynamo, SchedulerConfig config) {
        return new RunLedger(dynamo, config.table(), config.runRetention());
    }

    @Produces
    @Singleton
    RunQueue runQueue(SqsClient sqs, SchedulerConfig config) {
        return new RunQueue(sqs, config.queue(), config.deadLetterQueue());
    }

    @Produces
    @Singleton
    DispatchTick dispatchTick(DueIndex index, JobTable jobs, RunLedger ledger, RunQueue queue, DueBuckets buckets,
                              SchedulerConfig config) {
        return new DispatchTick(index, jobs, ledger, queue, buckets, new CatchUp(config.catchUp()), settings(config),
                Executors.newFixedThreadPool(config.dispatcher().threads(), daemons("dispatch")), Clock.systemUTC());
    }

    static DispatchTick.Settings settings(SchedulerConfig config) {
        SchedulerConfig.Dispatcher d = config.dispatcher();
        if (d.lead().plus(d.cadence()).plus(d.margin()).toSeconds() > 900) {
            throw new IllegalStateException("blocks.scheduler.dispatcher lead + cadence + margin must stay within 15 minutes (SQS's longest delay)");
        }
        return new DispatchTick.Settings(d.lead(), d.cadence(), d.margin(), d.lookback(), d.leaseGrace(), d.catchUpBucketsPerTick(), config.early());
    }

    @Produces
    @Singleton
    Targets targets(SqsClient sqs, SchedulerConfig config, TargetRules rules, SealedHeaders sealedHeaders) {
        // A synchronous Lambda target may answer only after its own timeout: the socket waits as long as an attempt can.
        var builder = LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(config.runLease()));
        // The local cloud (and LocalStack) point functions at their Invoke API through this variable.
        String endpoint = System.getenv("AWS_ENDPOINT_URL_LAMBDA");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.overrideConfiguration(c -> c.apiCallTimeout(config.targets().timeout()));
        return new Targets(rules, new QueueDelivery(sqs),
                new TopicDelivery(config.targets().kafkaBootstrapServers().orElse(""), config.targets().timeout()),
                new HttpDelivery(rules.urls(), sealedHeaders, config.targets().timeout(), config.targets().concurrency()),
                new FunctionDelivery(builder.build(), functionWait(config), Clock.systemUTC()));
    }

    /**
     * How long the worker waits for a Lambda target: its timeout plus 10 s (Lambda's init limit, not counted in the
     * timeout, and the round trips), within what an attempt has of the worker's lease: the lease less the early
     * arrival and 5 s for the closing writes.
     */
    static FunctionWait functionWait(SchedulerConfig config) {
        return new FunctionWait(Duration.ofSeconds(10), config.runLease().minus(config.early()).minusSeconds(5));
    }

    @Produces
    @Singleton
    RunExecutor runExecutor(RunLedger ledger, RunQueue queue, Targets targets, Admission admission, DueIndex index,
                            SchedulerConfig config, Metrics metrics) {
        SchedulerConfig.Retry retry = config.retry();
        Backoff backoff = new Backoff(retry.base(), retry.cap(), retry.jitter(), () -> ThreadLocalRandom.current().nextDouble());
        Heartbeat heartbeat = new Heartbeat(Executors.newSingleThreadScheduledExecutor(daemons("heartbeat")), config.runLease());
        // The writes beside the target calls: one thread per run the worker holds, since a batch's runs fire together
        // and fewer threads would make the last of them wait for the others' writes before they may finish.
        return new RunExecutor(ledger, queue, targets, backoff, heartbeat, Clock.systemUTC(),
                Executors.newFixedThreadPool(config.targets().concurrency(), daemons("job-writes")), admission,
                new CatchUp(config.catchUp()), index, metrics);
    }

    @Produces
    @Singleton
    WorkerPool workerPool(SchedulerConfig config) {
        return new WorkerPool(Executors.newFixedThreadPool(config.targets().concurrency(), daemons("run")));
    }

    static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
