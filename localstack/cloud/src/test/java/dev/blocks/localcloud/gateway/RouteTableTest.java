package dev.blocks.localcloud.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.localcloud.spec.RouteSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private final RouteTable table = new RouteTable(List.of(
            new RouteSpec("$default", "fallback"),
            new RouteSpec("ANY /x/{proxy+}", "greedy"),
            new RouteSpec("GET /x/{id}", "by-id"),
            new RouteSpec("GET /x/special", "special"),
            new RouteSpec("ANY /x/special", "special-any"),
            new RouteSpec("POST /v1/hooks/{source}", "hooks"),
            new RouteSpec("GET /v1/links/{code}", "links"),
            new RouteSpec("GET /", "root")));

    @Test
    void prefersAnExactPathOverAVariableOverAGreedyVariable() {
        assertThat(functionFor("GET", "/x/special")).isEqualTo("special");
        assertThat(functionFor("GET", "/x/42")).isEqualTo("by-id");
        assertThat(functionFor("GET", "/x/42/more")).isEqualTo("greedy");
    }

    @Test
    void prefersTheRequestsMethodOverAny() {
        assertThat(functionFor("GET", "/x/special")).isEqualTo("special");
        assertThat(functionFor("DELETE", "/x/special")).isEqualTo("special-any");
        assertThat(functionFor("DELETE", "/x/42")).isEqualTo("greedy");
    }

    @Test
    void fallsBackToTheDefaultRoute() {
        assertThat(functionFor("POST", "/v1/links/abc")).isEqualTo("fallback");
        assertThat(functionFor("GET", "/x")).isEqualTo("fallback");
        assertThat(functionFor("GET", "/v1/links/")).isEqualTo("fallback");
        assertThat(table.match("GET", "/anything").orElseThrow().route().routeKey()).isEqualTo("$default");
    }

    @Test
    void extractsDecodedPathParameters() {
        assertThat(table.match("GET", "/v1/links/a%20b+c").orElseThrow().pathParameters())
                .isEqualTo(Map.of("code", "a b+c"));
        assertThat(table.match("PUT", "/x/a/b%2Fc/d.txt").orElseThrow().pathParameters())
                .isEqualTo(Map.of("proxy", "a/b/c/d.txt"));
        assertThat(table.match("POST", "/v1/hooks/github").orElseThrow().route().routeKey())
                .isEqualTo("POST /v1/hooks/{source}");
        assertThat(functionFor("GET", "/")).isEqualTo("root");
    }

    @Test
    void findsNothingWithoutADefaultRoute() {
        RouteTable withoutDefault = new RouteTable(List.of(new RouteSpec("GET /only", "f")));

        assertThat(withoutDefault.match("GET", "/other")).isEmpty();
        assertThat(withoutDefault.match("POST", "/only")).isEmpty();
    }

    @Test
    void rejectsMalformedRouteKeys() {
        assertThatThrownBy(() -> new RouteTable(List.of(new RouteSpec("GET x", "f"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteTable(List.of(new RouteSpec("GET /{proxy+}/x", "f"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteTable(List.of(new RouteSpec("GET /a", "f"), new RouteSpec("get /a", "g"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String functionFor(String method, String path) {
        return table.match(method, path).orElseThrow().route().functionName();
    }
}
