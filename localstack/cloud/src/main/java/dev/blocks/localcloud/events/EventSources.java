package dev.blocks.localcloud.events;

import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.spec.CloudSpec;
import dev.blocks.localcloud.spec.KafkaMappingSpec;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import dev.blocks.localcloud.spec.ScheduleSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The event sources of a cloud: every enabled SQS and Kafka mapping and schedule of a {@link CloudSpec}, wired
 * to the local Lambda service. Every schedule expression is checked before anything starts.
 */
public final class EventSources implements AutoCloseable {

    /**
     * Where the event sources read from. {@code kafkaBootstrapServers} may be null when the cloud has no Kafka
     * mapping; {@code region} is the one the local cloud's ARNs and events name.
     */
    public record Endpoints(URI sqs, String accessKeyId, String secretAccessKey, String region,
                            String kafkaBootstrapServers) {}

    private static final Duration SQS_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final List<EventSource> sources;
    private final Map<String, ScheduleEventSource> schedules;
    private final SqsClient sqs;

    private EventSources(List<EventSource> sources, Map<String, ScheduleEventSource> schedules, SqsClient sqs) {
        this.sources = sources;
        this.schedules = schedules;
        this.sqs = sqs;
    }

    /** Creates and starts the event sources; nothing stays running when this throws. */
    public static EventSources start(CloudSpec spec, FunctionInvoker invoker, Endpoints endpoints) {
        List<EventSource> sources = new ArrayList<>();
        Map<String, ScheduleEventSource> schedules = new LinkedHashMap<>();
        for (ScheduleSpec schedule : spec.schedules()) {
            if (schedule.enabled()) {
                ScheduleEventSource source = new ScheduleEventSource(schedule, invoker, endpoints.region());
                schedules.put(schedule.name(), source);
                sources.add(source);
            }
        }
        List<QueueMappingSpec> queueMappings = spec.queueMappings().stream().filter(QueueMappingSpec::enabled).toList();
        // Kafka mappings write the records of discarded batches to their on-failure queues.
        boolean kafkaDestinations = spec.kafkaMappings().stream()
                .anyMatch(m -> m.enabled() && m.errorHandling().onFailureQueue().isPresent());
        SqsClient sqs = queueMappings.isEmpty() && !kafkaDestinations ? null : sqsClient(endpoints);
        for (KafkaMappingSpec mapping : spec.kafkaMappings()) {
            if (mapping.enabled()) {
                if (endpoints.kafkaBootstrapServers() == null) {
                    throw new IllegalArgumentException("a Kafka mapping of " + mapping.functionName()
                            + " needs Kafka bootstrap servers");
                }
                sources.add(new KafkaEventSource(mapping, endpoints.kafkaBootstrapServers(), invoker,
                        endpoints.region(), sqs));
            }
        }
        for (QueueMappingSpec mapping : queueMappings) {
            sources.add(new SqsEventSource(mapping, sqs, invoker));
        }
        EventSources started = new EventSources(sources, schedules, sqs);
        List<EventSource> running = new ArrayList<>();
        try {
            for (EventSource source : sources) {
                source.start();
                running.add(source);
            }
        } catch (RuntimeException e) {
            new EventSources(running, schedules, sqs).stop();
            throw e;
        }
        return started;
    }

    /** The running schedule of that name (an EventBridge rule name), for firing it by hand. */
    public Optional<ScheduleEventSource> schedule(String name) {
        return Optional.ofNullable(schedules.get(name));
    }

    /** Stops every source at once and returns when their invocations under way have ended. */
    public void stop() {
        List<Thread> stopping = new ArrayList<>();
        for (EventSource source : sources) {
            Thread thread = new Thread(source::stop, "event-source-stop");
            stopping.add(thread);
            thread.start();
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static SqsClient sqsClient(Endpoints endpoints) {
        return SqsClient.builder()
                .endpointOverride(endpoints.sqs())
                .region(Region.of(endpoints.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(SQS_SOCKET_TIMEOUT))
                .build();
    }
}
