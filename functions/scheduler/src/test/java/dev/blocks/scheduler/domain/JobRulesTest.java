package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.kit.validation.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final JobRules rules = new JobRules(new CatchUp(Duration.ofHours(1)), 262_144, 5, 10,
            new TargetRules("blocks", Set.of("blocks-jobs-worker"), new OutboundGuard(Set.of("127.0.0.1"), host -> List.of()),
                    Set.of("ext-reports"), Set.of("ext-work"), Set.of("ext-events")));
    private static final JobDraft.TargetDraft QUEUE = new JobDraft.TargetDraft("sqs", "ext-work", null, null, null, null, null);

    private JobDraft draft(JobDraft.TargetDraft target, String runAt, String cron, String zone, String rate) {
        return new JobDraft(null, target, "{}", runAt, cron, zone, rate, null, null, null);
    }

    private String field(JobDraft draft) {
        JobRules.Checked checked = rules.check(draft, NOW);
        assertThat(checked.job()).isNull();
        return checked.violations().get(0).field();
    }

    @Test
    void noScheduleMeansNow() {
        JobRules.Checked checked = rules.check(draft(QUEUE, null, null, null, null), NOW);
        assertThat(checked.job().schedule()).isEqualTo(new OneTime(NOW));
        assertThat(checked.job().maxAttempts()).isEqualTo(5);
        assertThat(checked.job().overlap()).isEqualTo(Overlap.SKIP);
    }

    @Test
    void theKindOfCronFollowsItsFieldCount() {
        CronSchedule unix = (CronSchedule) rules.check(draft(QUEUE, null, "*/5 * * * *", null, null), NOW).job().schedule();
        CronSchedule eventBridge = (CronSchedule) rules.check(draft(QUEUE, null, "cron(0 10 ? * 6#3 *)", "Europe/Berlin", null), NOW).job().schedule();
        assertThat(unix.syntax()).isEqualTo(CronSyntax.UNIX);
        assertThat(unix.nextAfter(NOW)).contains(NOW.plusSeconds(300));
        assertThat(eventBridge.syntax()).isEqualTo(CronSyntax.EVENTBRIDGE);
        // The third Friday of December 2026 at 10:00 in Berlin (CET, +01:00).
        assertThat(eventBridge.nextAfter(NOW)).contains(Instant.parse("2026-12-18T09:00:00Z"));
    }

    @Test
    void aRateIsElapsedTimeFromCreation() {
        RateSchedule rate = (RateSchedule) rules.check(draft(QUEUE, null, null, null, "rate(90 minutes)"), NOW).job().schedule();
        assertThat(rate.first(NOW)).contains(NOW.plus(Duration.ofMinutes(90)));
        assertThat(rate.nextAfter(NOW.plus(Duration.ofMinutes(100)))).contains(NOW.plus(Duration.ofMinutes(180)));
    }

    @Test
    void badSchedulesNameTheirField() {
        assertThat(field(draft(QUEUE, "2030-01-01T00:00:00Z", "0 9 * * *", null, null))).isEqualTo("schedule");
        assertThat(field(draft(QUEUE, null, "0 0 9 ? * MON 2030", null, null))).isEqualTo("cron");
        assertThat(field(draft(QUEUE, null, "0 9 * * *", "Mars/Olympus", null))).isEqualTo("timeZone");
        assertThat(field(draft(QUEUE, "2026-11-24T08:59:59Z", null, null, null))).isEqualTo("runAt");
        assertThat(field(draft(QUEUE, "2026-11-24", null, null, null))).isEqualTo("runAt");
        assertThat(field(draft(QUEUE, null, null, null, "rate(1 minutes)"))).isEqualTo("rate");
        assertThat(field(draft(QUEUE, null, null, null, "rate(30 seconds)"))).isEqualTo("rate");
        assertThat(field(draft(QUEUE, null, "0 9 1 1 ? 2020", null, null))).isEqualTo("cron");
        assertThat(field(draft(QUEUE, "2030-01-01T00:00:00Z", null, "Europe/Berlin", null))).isEqualTo("timeZone");
    }

    @Test
    void aRunAtWithinTheCatchUpWindowIsAccepted() {
        assertThat(rules.check(draft(QUEUE, "2026-11-24T09:00:01Z", null, null, null), NOW).job()).isNotNull();
    }

    @Test
    void payloadsOver256KbAreRefused() {
        String big = "\"" + "x".repeat(262_143) + "\"";
        JobRules.Checked checked = rules.check(new JobDraft(null, QUEUE, big, null, null, null, null, null, null, null), NOW);
        assertThat(checked.violations()).extracting(FieldError::field).containsExactly("payload");
    }

    @Test
    void targetsAreChecked() {
        assertThat(field(draft(new JobDraft.TargetDraft("http", null, null, "http://169.254.169.254/latest", null, null, null), null, null, null, null))).isEqualTo("target.url");
        assertThat(field(draft(new JobDraft.TargetDraft("http", null, null, "http://192.168.1.1/", null, null, null), null, null, null, null))).isEqualTo("target.url");
        assertThat(field(draft(new JobDraft.TargetDraft("http", null, null, "https://example.com/", null, Map.of("Host", "evil"), null), null, null, null, null))).isEqualTo("target.headers");
        assertThat(field(draft(new JobDraft.TargetDraft("lambda", null, null, null, null, null, "other-fn"), null, null, null, null))).isEqualTo("target.function");
        assertThat(field(draft(new JobDraft.TargetDraft("lambda", null, null, null, null, null, "blocks-jobs-worker"), null, null, null, null))).isEqualTo("target.function");
        assertThat(field(draft(new JobDraft.TargetDraft("kafka", null, "bad topic", null, null, null, null), null, null, null, null))).isEqualTo("target.topic");
        assertThat(field(draft(null, null, null, null, null))).isEqualTo("target");
        // The operator's explicitly allowed private host, and public ones, pass.
        assertThat(rules.check(draft(new JobDraft.TargetDraft("http", null, null, "http://127.0.0.1:8080/hook", null, null, null), null, null, null, null), NOW).job()).isNotNull();
        assertThat(rules.check(draft(new JobDraft.TargetDraft("lambda", null, null, null, null, null, "ext-reports"), null, null, null, null), NOW).job()).isNotNull();
    }

    @Test
    void idempotentIdsAreStablePerOwnerAndKey() {
        assertThat(JobIds.forIdempotencyKey("alice", "k1")).isEqualTo(JobIds.forIdempotencyKey("alice", "k1"))
                .isNotEqualTo(JobIds.forIdempotencyKey("bob", "k1"));
        assertThat(JobIds.wellFormed(JobIds.random())).isTrue();
        assertThat(JobIds.wellFormed(JobIds.forIdempotencyKey("alice", "k1"))).isTrue();
        assertThat(JobIds.wellFormed("job_../../etc")).isFalse();
    }
}
