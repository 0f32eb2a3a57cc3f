package dev.blocks.testfn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.HttpFunction;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.JsonBody;
import dev.blocks.kit.http.Routes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Base64;

/** test-http: shows back what the gateway delivered, so tests can check the v2 event end to end. */
@ApplicationScoped
@Named(HttpRole.NAME)
class HttpRole implements HttpFunction {

    static final String NAME = "test-http";

    private final Routes routes = new Routes()
            .on("GET /hello/{name}", this::hello)
            .on("POST /echo", this::echo)
            .on("ANY /files/{proxy+}", this::files);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        return routes.dispatch(request);
    }

    private HttpResponse hello(HttpRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("hello", request.pathParameter("name"));
        request.query().forEach(body.putObject("query")::put);
        request.cookies().forEach(body.putArray("cookies")::add);
        body.put("userAgent", request.header("user-agent").orElse(""));
        return HttpResponse.json(200, body).withHeader("x-test", "hello");
    }

    private HttpResponse echo(HttpRequest request) {
        ObjectNode body = JsonBody.object(request, 1 << 20);
        return HttpResponse.json(201, JsonNodeFactory.instance.objectNode().set("echo", body));
    }

    private HttpResponse files(HttpRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("method", request.method());
        body.put("proxy", request.pathParameter("proxy"));
        body.put("bodyBase64", Base64.getEncoder().encodeToString(request.body()));
        return HttpResponse.json(200, body);
    }
}
