package dev.blocks.scheduler.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.KnownFields;
import dev.blocks.scheduler.domain.Attempt;
import dev.blocks.scheduler.domain.CronSchedule;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobDraft;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.OneTime;
import dev.blocks.scheduler.domain.RateSchedule;
import dev.blocks.scheduler.domain.Run;
import dev.blocks.kit.validation.FieldError;
import dev.blocks.scheduler.store.JobItems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The jobs API's JSON: request bodies into drafts (type errors as violations), jobs and runs into documents. */
final class JobJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The body of {@code POST /v1/jobs}: an unknown or misplaced field (a {@code "url"} beside {@code "target"}
     * instead of inside it) is a 400 naming it, never ignored. The payload and the HTTP target's headers are the
     * caller's own and are not looked into.
     */
    static final KnownFields CREATE = KnownFields.of("name", "runAt", "cron", "timeZone", "rate", "idempotencyKey", "maxAttempts", "overlap")
            .with("target", KnownFields.of("type", "queue", "topic", "url", "method", "function").open("headers"))
            .open("payload");

    private JobJson() {}

    /** The draft of a body that passed {@link #CREATE}; wrong types become violations. */
    static JobDraft draft(ObjectNode body, List<FieldError> violations) {
        JobDraft.TargetDraft target = null;
        JsonNode t = body.get("target");
        if (t != null && !t.isNull()) {
            if (!t.isObject()) {
                violations.add(new FieldError("target", "must be an object"));
            } else {
                Map<String, String> headers = null;
                JsonNode h = t.get("headers");
                if (h != null && !h.isNull()) {
                    if (!h.isObject()) {
                        violations.add(new FieldError("target.headers", "must be an object of strings"));
                    } else {
                        headers = new LinkedHashMap<>();
                        for (var it = h.fields(); it.hasNext(); ) {
                            var e = it.next();
                            if (!e.getValue().isTextual()) {
                                violations.add(new FieldError("target.headers", "header " + e.getKey() + " must be a string"));
                            } else {
                                headers.put(e.getKey(), e.getValue().asText());
                            }
                        }
                    }
                }
                target = new JobDraft.TargetDraft(text(t, "type", "target.type", violations), text(t, "queue", "target.queue", violations),
                        text(t, "topic", "target.topic", violations), text(t, "url", "target.url", violations),
                        text(t, "method", "target.method", violations), headers, text(t, "function", "target.function", violations));
            }
        }
        JsonNode payload = body.get("payload");
        Integer maxAttempts = null;
        JsonNode m = body.get("maxAttempts");
        if (m != null && !m.isNull()) {
            if (m.isIntegralNumber() && m.canConvertToInt()) {
                maxAttempts = m.intValue();
            } else {
                violations.add(new FieldError("maxAttempts", "must be an integer"));
            }
        }
        return new JobDraft(text(body, "name", "name", violations), target,
                payload == null ? null : payload.toString(),
                text(body, "runAt", "runAt", violations), text(body, "cron", "cron", violations),
                text(body, "timeZone", "timeZone", violations), text(body, "rate", "rate", violations),
                text(body, "idempotencyKey", "idempotencyKey", violations), maxAttempts,
                text(body, "overlap", "overlap", violations));
    }

    private static String text(JsonNode node, String name, String field, List<FieldError> violations) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new FieldError(field, "must be a string"));
            return null;
        }
        return value.asText();
    }

    static ObjectNode created(Job job) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("jobId", job.jobId());
        putInstant(out, "nextRunAt", job.nextRunAt());
        out.put("status", job.status().name());
        return out;
    }

    static ObjectNode summary(Job job) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("jobId", job.jobId());
        if (job.name() != null) {
            out.put("name", job.name());
        }
        out.put("status", job.status().name());
        out.set("schedule", schedule(job));
        // A paused job keeps its place internally, but it has no next run until it is resumed.
        putInstant(out, "nextRunAt", job.status() == JobStatus.SCHEDULED ? job.nextRunAt() : null);
        out.set("lastRun", job.lastRun() == null ? JsonNodeFactory.instance.nullNode() : run(job.lastRun()));
        putInstant(out, "createdAt", job.createdAt());
        return out;
    }

    static ObjectNode full(Job job, List<Run> runs) {
        ObjectNode out = summary(job);
        try {
            out.set("target", JSON.readTree(JobItems.targetView(job.target())));
            out.set("payload", JSON.readTree(job.payload()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.put("maxAttempts", job.maxAttempts());
        out.put("overlap", job.overlap().wire());
        ArrayNode list = out.putArray("runs");
        runs.forEach(r -> list.add(run(r)));
        return out;
    }

    static ObjectNode run(Run run) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        putInstant(out, "scheduledAt", run.scheduledAt());
        putInstant(out, "startedAt", run.startedAt());
        putInstant(out, "finishedAt", run.finishedAt());
        out.put("attempt", run.attempt());
        out.put("outcome", run.outcome().name());
        if (run.error() != null) {
            out.put("error", run.error());
        } else {
            out.putNull("error");
        }
        if (run.triggered()) {
            out.put("triggered", true);
        }
        if (!run.attempts().isEmpty()) {
            ArrayNode attempts = out.putArray("attempts");
            for (Attempt a : run.attempts()) {
                ObjectNode node = attempts.addObject().put("attempt", a.attempt());
                putInstant(node, "startedAt", a.startedAt());
                putInstant(node, "finishedAt", a.finishedAt());
                if (a.error() != null) {
                    node.put("error", a.error());
                }
            }
        }
        return out;
    }

    private static ObjectNode schedule(Job job) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (job.schedule() instanceof OneTime once) {
            putInstant(out.put("kind", "once"), "runAt", once.runAt());
        } else if (job.schedule() instanceof CronSchedule cron) {
            out.put("kind", "cron").put("cron", cron.expression()).put("timeZone", cron.zone().getId())
                    .put("syntax", cron.syntax().name().toLowerCase(Locale.ROOT));
        } else if (job.schedule() instanceof RateSchedule rate) {
            out.put("kind", "rate").put("rate", rate.expression());
        }
        return out;
    }

    private static void putInstant(ObjectNode node, String name, Instant value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, value.toString());
        }
    }
}
