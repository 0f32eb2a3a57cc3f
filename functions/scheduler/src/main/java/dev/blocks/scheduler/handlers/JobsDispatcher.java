package dev.blocks.scheduler.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.blocks.kit.lambda.LambdaFunction;
import dev.blocks.scheduler.domain.ShardRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Clock;

/**
 * jobs-dispatcher, fired by an EventBridge schedule (every minute in AWS; the cadence is configuration). The
 * window is taken from the clock rather than the event's scheduled time, so a late invocation still reads the
 * runs that are due from now on. Without input it reads every shard; with {@code {"shards": "a-b"}} one group.
 */
@ApplicationScoped
@Named(JobsDispatcher.NAME)
class JobsDispatcher implements LambdaFunction {

    static final String NAME = "jobs-dispatcher";

    private final DispatchTick tick;
    private final ShardRange allShards;
    private final Clock clock = Clock.systemUTC();

    JobsDispatcher(DispatchTick tick, SchedulerConfig config) {
        this.tick = tick;
        this.allShards = new ShardRange(0, config.shards() - 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode invoke(JsonNode event) throws Exception {
        // A schedule target's input may name a shard group ({"shards": "0-7"}) when ticks fan out.
        ShardRange shards = allShards;
        if (event.hasNonNull("shards")) {
            shards = ShardRange.parse(event.get("shards").asText())
                    .orElseThrow(() -> new IllegalArgumentException("shards must look like \"0-7\", not " + event.get("shards")));
        }
        DispatchTick.Result result = tick.run(clock.instant(), shards);
        return JsonNodeFactory.instance.objectNode().put("partitions", result.partitions()).put("claimed", result.claimed())
                .put("sent", result.sent()).put("missed", result.missed()).put("failedSends", result.failedSends());
    }
}
