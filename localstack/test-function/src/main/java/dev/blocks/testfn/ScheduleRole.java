package dev.blocks.testfn;

import dev.blocks.kit.lambda.ScheduledFunction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** test-schedule: records each tick of its EventBridge schedule. */
@ApplicationScoped
class ScheduleRole implements ScheduledFunction {

    private final Records records;

    ScheduleRole(Records records) {
        this.records = records;
    }

    @Override
    public String name() {
        return "test-schedule";
    }

    @Override
    public void onSchedule(Instant time) {
        records.put("schedule", time + "#" + System.nanoTime(), Map.of("time", time.toString()));
    }
}
