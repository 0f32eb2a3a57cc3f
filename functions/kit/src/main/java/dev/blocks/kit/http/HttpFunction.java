package dev.blocks.kit.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.kit.lambda.LambdaFunction;
import org.jboss.logging.Logger;

/**
 * A function behind the API Gateway HTTP API. Implementations answer {@link #handle}; this adapter turns a
 * {@link ProblemException} into its problem document, any other failure into a 500 problem (never a stack trace
 * to the client), and logs one line per request with the gateway's request id.
 */
public interface HttpFunction extends LambdaFunction {

    HttpResponse handle(HttpRequest request) throws Exception;

    @Override
    default JsonNode invoke(JsonNode event) {
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.fromEvent(event);
        HttpResponse response;
        try {
            response = handle(request);
        } catch (ProblemException e) {
            response = e.toResponse();
        } catch (Exception e) {
            Logger.getLogger(getClass()).errorf(e, "request %s %s failed", request.requestId(), request.routeKey());
            response = Problem.of(500, "internal", "Internal error",
                    "the request failed; quote request id " + request.requestId()).toResponse();
        }
        Logger.getLogger(HttpFunction.class).infof("%s %s %d %dus id=%s", request.method(), request.path(),
                response.status(), (System.nanoTime() - start) / 1000, request.requestId());
        return response.toEvent();
    }
}
