package dev.blocks.scheduler.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.scheduler.domain.Attempt;
import dev.blocks.scheduler.domain.CronSchedule;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.OneTime;
import dev.blocks.scheduler.domain.Overlap;
import dev.blocks.scheduler.domain.RateSchedule;
import dev.blocks.scheduler.domain.Run;
import dev.blocks.scheduler.domain.RunOutcome;
import dev.blocks.scheduler.domain.Schedule;
import dev.blocks.scheduler.domain.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item layout of the jobs table. One partition per job: the job item ({@code sk = "job"}) and its run items
 * ({@code sk = "R#<scheduled epoch millis, 13 digits>"}), so one Query returns a job and its latest runs ("job"
 * sorts after every "R#…" key: descending order gives the job first, then runs newest first). Two sparse indexes
 * on job items: {@code due} ({@code dueKey} = bucket#shard, {@code nextRunAt}) for the dispatcher, present only
 * while a run waits for dispatch, and {@code byOwner} ({@code owner}, {@code createdKey}) for listings.
 */
public final class JobItems {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String JOB_SK = "job";
    public static final String DUE_INDEX = "due";
    public static final String OWNER_INDEX = "byOwner";
    public static final String DUE_KEY = "dueKey";
    public static final String NEXT_RUN_AT = "nextRunAt";
    public static final String DISPATCH_LEASE = "dispatchLease";
    public static final String OWNER = "owner";
    /** The byOwner index's partition key, {@code <owner>#<shard>} ({@code OwnerShards}). */
    public static final String OWNER_SHARD = "ownerShard";
    public static final String CREATED_KEY = "createdKey";
    public static final String STATUS = "status";
    public static final String EXPIRES_AT = "expiresAt";

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobItems() {}

    public static String pk(String jobId) {
        return "J#" + jobId;
    }

    public static String runSk(Instant scheduledAt) {
        return String.format("R#%013d", scheduledAt.toEpochMilli());
    }

    static Map<String, AttributeValue> key(String jobId) {
        return Map.of(PK, s(pk(jobId)), SK, s(JOB_SK));
    }

    static Map<String, AttributeValue> runKey(String jobId, Instant scheduledAt) {
        return Map.of(PK, s(pk(jobId)), SK, s(runSk(scheduledAt)));
    }

    /** A new job item (no lease, no runs yet). */
    static Map<String, AttributeValue> newJob(Job job, String dueKey, String idempotencyKey) {
        Map<String, AttributeValue> item = new HashMap<>(key(job.jobId()));
        item.put("jobId", s(job.jobId()));
        item.put(OWNER, s(job.owner()));
        item.put(CREATED_KEY, s(String.format("%013d#%s", job.createdAt().toEpochMilli(), job.jobId())));
        item.put("createdAt", n(job.createdAt()));
        if (job.name() != null) {
            item.put("name", s(job.name()));
        }
        putSchedule(item, job.schedule());
        item.put("target", s(targetJson(job.target())));
        item.put("payload", s(job.payload()));
        item.put("maxAttempts", AttributeValue.fromN(Integer.toString(job.maxAttempts())));
        item.put("overlap", s(job.overlap().name()));
        item.put(STATUS, s(job.status().name()));
        if (job.nextRunAt() != null) {
            item.put(NEXT_RUN_AT, n(job.nextRunAt()));
            item.put(DUE_KEY, s(dueKey));
        }
        if (idempotencyKey != null) {
            item.put("idempotencyKey", s(idempotencyKey));
        }
        return item;
    }

    static Job job(Map<String, AttributeValue> item) {
        Instant created = instant(item, "createdAt");
        return new Job(
                str(item, "jobId"),
                str(item, OWNER),
                str(item, "name"),
                schedule(item, created),
                target(str(item, "target")),
                str(item, "payload"),
                Integer.parseInt(item.get("maxAttempts").n()),
                Overlap.valueOf(str(item, "overlap")),
                JobStatus.valueOf(str(item, STATUS)),
                created,
                instant(item, NEXT_RUN_AT),
                instant(item, "activeRun"),
                instant(item, "activeUntil"),
                instant(item, "bufferedRun"),
                item.containsKey("lastRun") ? lastRun(str(item, "jobId"), item.get("lastRun").m()) : null);
    }

    static Run run(Map<String, AttributeValue> item) {
        String jobId = str(item, PK).substring(2);
        List<Attempt> attempts = new ArrayList<>();
        if (item.containsKey("attempts")) {
            for (AttributeValue a : item.get("attempts").l()) {
                Map<String, AttributeValue> m = a.m();
                attempts.add(new Attempt(Integer.parseInt(m.get("attempt").n()), instant(m, "startedAt"),
                        instant(m, "finishedAt"), str(m, "error")));
            }
        }
        return new Run(jobId, instant(item, "scheduledAt"), item.containsKey("triggered") && item.get("triggered").bool(),
                RunOutcome.valueOf(str(item, "outcome")), item.containsKey("attempt") ? Integer.parseInt(item.get("attempt").n()) : 0,
                instant(item, "startedAt"), instant(item, "finishedAt"), str(item, "error"), instant(item, "leaseUntil"),
                attempts);
    }

    /** The summary of a run kept on its job ({@code lastRun}). */
    static AttributeValue lastRunValue(Run run) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("scheduledAt", n(run.scheduledAt()));
        m.put("outcome", s(run.outcome().name()));
        m.put("attempt", AttributeValue.fromN(Integer.toString(run.attempt())));
        if (run.startedAt() != null) {
            m.put("startedAt", n(run.startedAt()));
        }
        if (run.finishedAt() != null) {
            m.put("finishedAt", n(run.finishedAt()));
        }
        if (run.error() != null) {
            m.put("error", s(run.error()));
        }
        return AttributeValue.fromM(m);
    }

    static AttributeValue attemptValue(Attempt attempt) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("attempt", AttributeValue.fromN(Integer.toString(attempt.attempt())));
        if (attempt.startedAt() != null) {
            m.put("startedAt", n(attempt.startedAt()));
        }
        if (attempt.finishedAt() != null) {
            m.put("finishedAt", n(attempt.finishedAt()));
        }
        if (attempt.error() != null) {
            m.put("error", s(attempt.error()));
        }
        return AttributeValue.fromM(m);
    }

    private static Run lastRun(String jobId, Map<String, AttributeValue> m) {
        return new Run(jobId, instant(m, "scheduledAt"), false, RunOutcome.valueOf(str(m, "outcome")),
                m.containsKey("attempt") ? Integer.parseInt(m.get("attempt").n()) : 0, instant(m, "startedAt"),
                instant(m, "finishedAt"), str(m, "error"), null, List.of());
    }

    private static void putSchedule(Map<String, AttributeValue> item, Schedule schedule) {
        if (schedule instanceof OneTime once) {
            item.put("kind", s("once"));
            item.put("runAt", n(once.runAt()));
        } else if (schedule instanceof CronSchedule cron) {
            item.put("kind", s("cron"));
            item.put("cron", s(cron.expression()));
            item.put("timeZone", s(cron.zone().getId()));
        } else if (schedule instanceof RateSchedule rate) {
            item.put("kind", s("rate"));
            item.put("rate", s(rate.expression()));
            item.put("anchor", n(rate.anchor()));
        }
    }

    private static Schedule schedule(Map<String, AttributeValue> item, Instant created) {
        return switch (str(item, "kind")) {
            case "once" -> new OneTime(instant(item, "runAt"));
            case "cron" -> CronSchedule.parse(str(item, "cron"), ZoneId.of(str(item, "timeZone")));
            case "rate" -> RateSchedule.parse(str(item, "rate"), instant(item, "anchor"));
            default -> throw new IllegalStateException("unknown schedule kind in job " + str(item, "jobId"));
        };
    }

    /** The target as stored: an HTTP target's header names with redacted values, and the sealed set. */
    public static String targetJson(Target target) {
        return targetJson(target, true);
    }

    /**
     * The target as a job's reader sees it: header names with their values redacted (whether or not the stored
     * form still held plain values), and nothing sealed.
     */
    public static String targetView(Target target) {
        return targetJson(target, false);
    }

    private static String targetJson(Target target, boolean stored) {
        ObjectNode node = JSON.createObjectNode().put("type", target.type());
        if (target instanceof Target.Queue q) {
            node.put("queue", q.queue());
        } else if (target instanceof Target.Topic t) {
            node.put("topic", t.topic());
        } else if (target instanceof Target.Http h) {
            node.put("url", h.url()).put("method", h.method());
            ObjectNode headers = node.putObject("headers");
            (stored ? h.headers() : SealedHeaders.redacted(h.headers())).forEach(headers::put);
            if (stored && h.sealedHeaders() != null) {
                node.put("sealedHeaders", h.sealedHeaders());
            }
        } else if (target instanceof Target.Function f) {
            node.put("function", f.function());
        }
        return node.toString();
    }

    static Target target(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return switch (node.path("type").asText()) {
                case "sqs" -> new Target.Queue(node.path("queue").asText());
                case "kafka" -> new Target.Topic(node.path("topic").asText());
                case "http" -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    node.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
                    yield new Target.Http(node.path("url").asText(), node.path("method").asText("POST"), headers,
                            node.hasNonNull("sealedHeaders") ? node.get("sealedHeaders").asText() : null);
                }
                case "lambda" -> new Target.Function(node.path("function").asText());
                default -> throw new IllegalStateException("unknown target type " + node.path("type"));
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(Instant value) {
        return AttributeValue.fromN(Long.toString(value.toEpochMilli()));
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }
}
