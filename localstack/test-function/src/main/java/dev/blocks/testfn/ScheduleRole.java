package dev.blocks.testfn;

import dev.blocks.kit.lambda.ScheduledFunction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.Map;

/** test-schedule: records each tick of its EventBridge schedule. */
@ApplicationScoped
@Named(ScheduleRole.NAME)
class ScheduleRole implements ScheduledFunction {

    static final String NAME = "test-schedule";

    private final Records records;

    ScheduleRole(Records records) {
        this.records = records;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onSchedule(Instant time) {
        records.put("schedule", time + "#" + System.nanoTime(), Map.of("time", time.toString()));
    }
}
