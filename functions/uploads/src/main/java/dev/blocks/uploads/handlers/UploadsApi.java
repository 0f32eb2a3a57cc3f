package dev.blocks.uploads.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.HttpFunction;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.JsonBody;
import dev.blocks.kit.http.KnownFields;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.http.Routes;
import dev.blocks.kit.identity.Authenticator;
import dev.blocks.kit.validation.FieldError;
import dev.blocks.uploads.UploadsConfig;
import dev.blocks.uploads.domain.ClaimedPart;
import dev.blocks.uploads.domain.ContentTypePolicy;
import dev.blocks.uploads.domain.Declaration;
import dev.blocks.uploads.domain.PartPlan;
import dev.blocks.uploads.domain.Upload;
import dev.blocks.uploads.domain.UploadStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * uploads-api: starts uploads and hands out presigned URLs; the bytes go straight from the client to S3. Every
 * route needs a caller (JWT claims of the HTTP API authorizer, else an API key) and sees only the caller's uploads.
 */
@ApplicationScoped
@Named(UploadsApi.NAME)
class UploadsApi implements HttpFunction {

    static final String NAME = "uploads-api";

    private static final Logger LOG = Logger.getLogger(UploadsApi.class);
    private static final int RETRY_AFTER_SECONDS = 1;
    private static final int MAX_BODY = 16 * 1024;
    // a complete request lists up to 10,000 parts of ~60 bytes each
    private static final int MAX_COMPLETE_BODY = 1024 * 1024;

    // The fields each body takes; any other is refused by name rather than ignored.
    private static final KnownFields START = KnownFields.of("size", "expiresInSeconds", "method", "filename",
            "contentType", "sha256", "purpose");
    private static final KnownFields PARTS = KnownFields.of("partNumbers");
    private static final KnownFields COMPLETE = KnownFields.of().with("parts", KnownFields.of("partNumber", "etag", "eTag"));

    private final UploadWorkflow workflow;
    private final Authenticator authenticator;
    private final ContentTypePolicy contentTypes;
    private final Routes routes = new Routes()
            .on("POST /v1/uploads", this::start)
            .on("GET /v1/uploads/{id}", this::progress)
            .on("POST /v1/uploads/{id}/parts", this::parts)
            .on("POST /v1/uploads/{id}/complete", this::complete)
            .on("DELETE /v1/uploads/{id}", this::abort)
            .on("GET /v1/files/{fileId}", this::file)
            .on("GET /v1/files/{fileId}/content", this::content);

    UploadsApi(UploadWorkflow workflow, Authenticator authenticator, UploadsConfig config) {
        this.workflow = workflow;
        this.authenticator = authenticator;
        this.contentTypes = config.contentTypePolicy();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        try {
            return routes.dispatch(request);
        } catch (SdkClientException | AwsServiceException e) {
            if (e instanceof AwsServiceException service && service.statusCode() < 500 && !service.isThrottlingException()) {
                throw e;
            }
            // DynamoDB or S3 unreachable, failing or throttling: nothing was written that the client could be told of, and the
            // same request can be sent again, so the answer is a retryable 503 rather than a 500.
            LOG.warnf("%s %s: a store is unavailable: %s", request.method(), request.path(), e.toString());
            throw ProblemException.unavailable("storage is unavailable right now; retry the request", RETRY_AFTER_SECONDS);
        }
    }

    private HttpResponse start(HttpRequest request) {
        String owner = authenticator.authenticate(request).owner();
        ObjectNode body = JsonBody.object(request, MAX_BODY);
        START.check(body);
        List<FieldError> errors = new ArrayList<>();
        Long size = integer(body, "size", errors);
        Long ttlSeconds = integer(body, "expiresInSeconds", errors);
        if (ttlSeconds != null && ttlSeconds < 1) {
            errors.add(new FieldError("expiresInSeconds", "must be at least 1"));
        }
        String method = text(body, "method", errors);
        if (method != null && !List.of("PUT", "POST").contains(method.toUpperCase(Locale.ROOT))) {
            errors.add(new FieldError("method", "PUT (a presigned URL) or POST (a browser form)"));
        }
        String filename = text(body, "filename", errors);
        String contentType = text(body, "contentType", errors);
        String sha256 = text(body, "sha256", errors);
        String purpose = text(body, "purpose", errors);
        Declaration declaration = null;
        try {
            declaration = Declaration.check(filename, size, contentType, sha256, purpose, workflow.limits(), contentTypes);
        } catch (Declaration.Invalid invalid) {
            // a field already refused for its JSON type is not reported a second time as missing
            List<String> refused = errors.stream().map(FieldError::field).toList();
            invalid.problems().stream().filter(p -> !refused.contains(p.field())).forEach(errors::add);
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
        UploadWorkflow.Started started = workflow.start(owner, declaration,
                method != null && method.equalsIgnoreCase("POST"),
                Optional.ofNullable(ttlSeconds).map(Duration::ofSeconds));
        int status = started instanceof UploadWorkflow.Deduplicated ? 200 : 201;
        return HttpResponse.json(status, UploadJson.started(started));
    }

    private HttpResponse progress(HttpRequest request) {
        String owner = authenticator.authenticate(request).owner();
        return HttpResponse.json(200, UploadJson.progress(workflow.progress(owner, id(request, "id"))));
    }

    private HttpResponse parts(HttpRequest request) {
        String owner = authenticator.authenticate(request).owner();
        ObjectNode body = JsonBody.object(request, MAX_BODY);
        PARTS.check(body);
        JsonNode numbers = body.path("partNumbers");
        if (!numbers.isArray()) {
            throw ProblemException.invalid("partNumbers", "an array of part numbers is required");
        }
        List<Integer> requested = new ArrayList<>();
        for (JsonNode n : numbers) {
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw ProblemException.invalid("partNumbers", "part numbers are integers 1.." + PartPlan.MAX_PARTS);
            }
            requested.add(n.intValue());
        }
        return HttpResponse.json(200, UploadJson.partUrls(workflow.grantParts(owner, id(request, "id"), requested)));
    }

    private HttpResponse complete(HttpRequest request) {
        String owner = authenticator.authenticate(request).owner();
        ObjectNode body = JsonBody.object(request, MAX_COMPLETE_BODY);
        COMPLETE.check(body);
        JsonNode parts = body.path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            throw ProblemException.invalid("parts", "a non-empty array of {partNumber, etag} is required");
        }
        List<ClaimedPart> claimed = new ArrayList<>();
        for (JsonNode part : parts) {
            JsonNode number = part.path("partNumber");
            String eTag = part.hasNonNull("etag") ? part.get("etag").asText() : part.path("eTag").asText(null);
            if (!number.isIntegralNumber() || !number.canConvertToInt() || eTag == null || eTag.isBlank()) {
                throw ProblemException.invalid("parts", "each part is {partNumber, etag}");
            }
            claimed.add(new ClaimedPart(number.intValue(), eTag));
        }
        Upload done = workflow.complete(owner, id(request, "id"), claimed);
        if (done.status() != UploadStatus.COMPLETED) {
            // S3 assembled the parts, but the object is not what was declared: it was deleted, nothing to keep
            throw new ProblemException(Problem.of(409, "upload-failed", "Upload failed verification",
                    done.failure().orElse("the upload is " + done.status())));
        }
        return HttpResponse.json(200, UploadJson.file(done));
    }

    private HttpResponse abort(HttpRequest request) {
        String owner = authenticator.authenticate(request).owner();
        workflow.abort(owner, id(request, "id"));
        return HttpResponse.empty(204);
    }

    private HttpResponse file(HttpRequest request) {
        String owner = authenticator.authenticate(request).owner();
        return HttpResponse.json(200, UploadJson.file(workflow.file(owner, id(request, "fileId"))));
    }

    private HttpResponse content(HttpRequest request) {
        String owner = authenticator.authenticate(request).owner();
        return HttpResponse.redirect(302, workflow.downloadUrl(workflow.file(owner, id(request, "fileId"))));
    }

    private static UUID id(HttpRequest request, String parameter) {
        String raw = request.pathParameter(parameter);
        try {
            UUID id = UUID.fromString(raw);
            if (id.toString().equals(raw.toLowerCase(Locale.ROOT))) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // not an id: no such upload
        }
        throw ProblemException.notFound("no upload " + raw);
    }

    private static Long integer(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            errors.add(new FieldError(field, "must be an integer"));
            return null;
        }
        return node.longValue();
    }

    private static String text(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }
}
