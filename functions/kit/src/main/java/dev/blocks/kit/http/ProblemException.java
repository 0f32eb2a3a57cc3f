package dev.blocks.kit.http;

import dev.blocks.kit.validation.FieldError;
import java.util.List;
import java.util.Map;

/** Thrown anywhere below a handler to answer with a problem document instead of a result. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    public Problem problem() {
        return problem;
    }

    public HttpResponse toResponse() {
        return problem.toResponse().withHeaders(headers);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of(400, "bad-request", "Bad request", detail));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalid(List.of(new FieldError(field, message))));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", detail));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "conflict", "Conflict", detail));
    }

    public static ProblemException gone(String detail) {
        return new ProblemException(Problem.of(410, "gone", "Gone", detail));
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", detail),
                Map.of("www-authenticate", "ApiKey header=\"X-Api-Key\""));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", detail));
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(Problem.of(413, "too-large", "Payload too large", detail));
    }

    /** The client sent too much: it may retry after {@code retryAfterSeconds}. */
    public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ProblemException(Problem.of(429, "rate-limited", "Too many requests", detail),
                Map.of("retry-after", Long.toString(retryAfterSeconds)));
    }

    /** A dependency is down: the client may retry after {@code retryAfterSeconds}. */
    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(Problem.of(503, "unavailable", "Service unavailable", detail),
                Map.of("retry-after", Integer.toString(retryAfterSeconds)));
    }
}
