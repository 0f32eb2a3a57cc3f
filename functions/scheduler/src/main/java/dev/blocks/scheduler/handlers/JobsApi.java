package dev.blocks.scheduler.handlers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.HttpFunction;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.JsonBody;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.http.Routes;
import dev.blocks.kit.identity.Authenticator;
import dev.blocks.kit.identity.Caller;
import dev.blocks.scheduler.domain.CatchUp;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobDraft;
import dev.blocks.scheduler.domain.JobIds;
import dev.blocks.scheduler.domain.JobRules;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.NewJob;
import dev.blocks.scheduler.domain.OneTime;
import dev.blocks.kit.validation.FieldError;
import dev.blocks.scheduler.store.DueIndex;
import dev.blocks.scheduler.store.JobTable;
import dev.blocks.scheduler.store.RunMessage;
import dev.blocks.scheduler.store.RunQueue;
import dev.blocks.scheduler.store.SealedHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * jobs-api: create, read, list, pause, resume, trigger and cancel jobs. Every call needs an identity; a caller
 * sees only its own jobs (another owner's job is a 404). A run due before the dispatcher's next tick could see it
 * is enqueued here, claimed in the same write that stores it.
 */
@ApplicationScoped
@Named(JobsApi.NAME)
class JobsApi implements HttpFunction {

    static final String NAME = "jobs-api";

    private static final Logger LOG = Logger.getLogger(JobsApi.class);
    private static final int RUNS_SHOWN = 20;

    private final Routes routes = new Routes()
            .on("POST /v1/jobs", this::create)
            .on("GET /v1/jobs", this::list)
            .on("GET /v1/jobs/{id}", this::read)
            .on("DELETE /v1/jobs/{id}", this::cancel)
            .on("POST /v1/jobs/{id}/pause", this::pause)
            .on("POST /v1/jobs/{id}/resume", this::resume)
            .on("POST /v1/jobs/{id}/trigger", this::trigger);

    private final Authenticator authenticator;
    private final JobTable jobs;
    private final DueIndex index;
    private final RunQueue queue;
    private final JobRules rules;
    private final Admission admission;
    private final SealedHeaders sealedHeaders;
    private final CatchUp catchUp;
    private final int maxBodyBytes;
    private final Clock clock = Clock.systemUTC();

    JobsApi(Authenticator authenticator, JobTable jobs, DueIndex index, RunQueue queue, JobRules rules,
            Admission admission, SealedHeaders sealedHeaders, SchedulerConfig config) {
        this.authenticator = authenticator;
        this.jobs = jobs;
        this.index = index;
        this.queue = queue;
        this.rules = rules;
        this.admission = admission;
        this.sealedHeaders = sealedHeaders;
        this.catchUp = rules.catchUp();
        this.maxBodyBytes = config.maxBodyBytes();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        try {
            return routes.dispatch(request);
        } catch (SdkException e) {
            LOG.warnf("AWS call failed on %s: %s", request.routeKey(), e.toString());
            throw ProblemException.unavailable("the job store is not answering; try again", 1);
        }
    }

    private HttpResponse create(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        ObjectNode body = JsonBody.object(request, maxBodyBytes);
        JobJson.CREATE.check(body);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<FieldError> violations = new ArrayList<>();
        JobDraft draft = JobJson.draft(body, violations);
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        JobRules.Checked checked = rules.check(draft, now);
        if (!checked.violations().isEmpty()) {
            throw invalid(checked.violations());
        }
        NewJob job = checked.job();
        String jobId = job.idempotencyKey() != null ? JobIds.forIdempotencyKey(caller.owner(), job.idempotencyKey()) : JobIds.random();
        Instant first = job.schedule().first(now).orElseThrow();
        Admission.Plan plan = admission.plan(jobId, first, now);
        // Header values (bearer tokens) are sealed for this job before anything is written.
        Job stored = new Job(jobId, caller.owner(), job.name(), job.schedule(), sealedHeaders.seal(job.target(), jobId), job.payload(),
                job.maxAttempts(), job.overlap(), JobStatus.SCHEDULED, now, first, null, null, null, null);
        if (!jobs.create(stored, plan.dueKey(), plan.lease(), job.idempotencyKey())) {
            Job existing = jobs.find(jobId).orElseThrow(() -> ProblemException.conflict("the job is being created; retry"));
            boolean ours = existing.owner().equals(caller.owner()) && existing.createdAt().equals(now);
            if (!ours) {
                // A repeated idempotency key: answer with the first job, never create a second one.
                return HttpResponse.json(200, JobJson.created(existing)).withHeader("idempotent-replayed", "true")
                        .withHeader("location", "/v1/jobs/" + jobId);
            }
            // Our own write, retried by the SDK after a lost response: it was created by this request.
        }
        if (plan.direct()) {
            enqueue(jobId, first, plan);
        }
        return HttpResponse.json(201, JobJson.created(stored)).withHeader("location", "/v1/jobs/" + jobId);
    }

    private HttpResponse read(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String id = request.pathParameter("id");
        JobTable.JobView view = (JobIds.wellFormed(id) ? jobs.view(id, RUNS_SHOWN) : Optional.<JobTable.JobView>empty())
                .filter(v -> v.job().owner().equals(caller.owner()))
                .orElseThrow(() -> ProblemException.notFound("no job " + id));
        return HttpResponse.json(200, JobJson.full(view.job(), view.runs()));
    }

    private HttpResponse list(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        JobStatus status = null;
        Optional<String> statusText = request.queryParameter("status");
        if (statusText.isPresent()) {
            try {
                status = JobStatus.valueOf(statusText.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("status", "one of " + java.util.Arrays.toString(JobStatus.values()));
            }
        }
        int limit = 50;
        Optional<String> limitText = request.queryParameter("limit");
        if (limitText.isPresent()) {
            try {
                limit = Integer.parseInt(limitText.get());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw ProblemException.invalid("limit", "1 to 100");
            }
        }
        JobTable.Page page;
        try {
            page = jobs.list(caller.owner(), status, request.queryParameter("cursor").orElse(null), limit);
        } catch (JobTable.BadCursor e) {
            throw ProblemException.invalid("cursor", e.getMessage());
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        var list = out.putArray("jobs");
        page.jobs().forEach(job -> list.add(JobJson.summary(job)));
        if (page.cursor() == null) {
            out.putNull("cursor");
        } else {
            out.put("cursor", page.cursor());
        }
        return HttpResponse.json(200, out);
    }

    private HttpResponse pause(HttpRequest request) {
        Job job = owned(request);
        if (job.status() == JobStatus.PAUSED) {
            return current(job.jobId());
        }
        if (job.status() != JobStatus.SCHEDULED || !jobs.pause(job.jobId())) {
            throw ProblemException.conflict("only a scheduled job can be paused; this one is " + status(job.jobId()));
        }
        return current(job.jobId());
    }

    private HttpResponse resume(HttpRequest request) {
        Job job = owned(request);
        if (job.status() == JobStatus.SCHEDULED) {
            return current(job.jobId());
        }
        if (job.status() != JobStatus.PAUSED) {
            throw ProblemException.conflict("only a paused job can be resumed; this one is " + job.status());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // A paused recurring job does not make up for the runs it skipped: it continues with the next one.
        Optional<Instant> next = job.schedule() instanceof OneTime once ? Optional.of(once.runAt()) : job.schedule().first(now);
        boolean changed;
        if (next.isEmpty() || catchUp.missed(next.get(), now)) {
            changed = jobs.resumeAsMissed(job.jobId());
        } else {
            Admission.Plan plan = admission.plan(job.jobId(), next.get(), now);
            changed = jobs.resume(job.jobId(), next.get(), plan.dueKey(), plan.lease());
            if (changed && plan.direct()) {
                enqueue(job.jobId(), next.get(), plan);
            }
        }
        if (!changed) {
            throw ProblemException.conflict("the job changed meanwhile; it is " + status(job.jobId()));
        }
        return current(job.jobId());
    }

    private HttpResponse trigger(HttpRequest request) {
        Job job = owned(request);
        if (job.status() == JobStatus.CANCELLED) {
            throw ProblemException.conflict("a cancelled job cannot be triggered");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        queue.send(new RunMessage(job.jobId(), now, true), 0);
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("jobId", job.jobId()).put("scheduledAt", now.toString());
        return HttpResponse.json(202, out);
    }

    private HttpResponse cancel(HttpRequest request) {
        Job job = owned(request);
        if (job.status() == JobStatus.CANCELLED) {
            return HttpResponse.empty(204);
        }
        if (job.status().terminal() || !jobs.cancel(job.jobId())) {
            throw ProblemException.conflict("the job already ended: it is " + status(job.jobId()));
        }
        return HttpResponse.empty(204);
    }

    private Job owned(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        String id = request.pathParameter("id");
        return (JobIds.wellFormed(id) ? jobs.find(id) : Optional.<Job>empty())
                .filter(job -> job.owner().equals(caller.owner()))
                .orElseThrow(() -> ProblemException.notFound("no job " + id));
    }

    private HttpResponse current(String jobId) {
        JobTable.JobView view = jobs.view(jobId, RUNS_SHOWN).orElseThrow(() -> ProblemException.notFound("no job " + jobId));
        return HttpResponse.json(200, JobJson.full(view.job(), view.runs()));
    }

    private String status(String jobId) {
        return jobs.find(jobId).map(j -> j.status().name()).orElse("gone");
    }

    private void enqueue(String jobId, Instant at, Admission.Plan plan) {
        try {
            queue.send(new RunMessage(jobId, at, false), plan.delaySeconds());
        } catch (SdkException e) {
            // The job is stored; giving the claim back lets the dispatcher's next tick enqueue it.
            LOG.warnf("enqueueing the first run of %s failed, the dispatcher takes over: %s", jobId, e.toString());
            index.release(jobId, plan.lease());
        }
    }

    private static ProblemException invalid(List<FieldError> violations) {
        return new ProblemException(Problem.invalid(violations));
    }
}
