package dev.blocks.ratelimit.handlers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.blocks.kit.ratelimit.InvalidRuleException;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleJson;
import dev.blocks.ratelimit.RateLimitConfig;
import dev.blocks.ratelimit.domain.AdminOwners;
import dev.blocks.ratelimit.domain.RuleCache;
import dev.blocks.ratelimit.store.RuleTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * ratelimit-rules: the admin API of the rules table, {@code PUT/GET/DELETE /v1/ratelimit/rules/{id}}. Every route
 * needs a caller (API key or JWT claims) whose owner is one of {@code admin-owners}; closed by default: with none
 * configured every caller gets 403, before anything is read or written. A rule is validated by
 * the kit's {@link RuleJson} (400 with one error per bad field); rules from configuration can be read here but not
 * changed (409). ratelimit-api picks a change up within its refresh period.
 */
@ApplicationScoped
@Named(RulesApi.NAME)
class RulesApi implements HttpFunction {

    static final String NAME = "ratelimit-rules";

    private static final Logger LOG = Logger.getLogger(RulesApi.class);
    private static final int MAX_BODY = 4 * 1024;
    /** Longer ids are never valid rule ids (64 characters at most), so they need no lookup. */
    private static final int MAX_ID = 64;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final RuleTable table;
    private final RuleCache rules;
    private final Authenticator authenticator;
    private final ObjectMapper json;
    private final AdminOwners admins;
    private final Routes routes = new Routes()
            .on("PUT /v1/ratelimit/rules/{id}", this::put)
            .on("GET /v1/ratelimit/rules/{id}", this::get)
            .on("DELETE /v1/ratelimit/rules/{id}", this::delete);

    RulesApi(RuleTable table, RuleCache rules, Authenticator authenticator, ObjectMapper json, RateLimitConfig config) {
        this.table = table;
        this.rules = rules;
        this.authenticator = authenticator;
        this.json = json;
        this.admins = AdminOwners.of(config.adminOwners());
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
            LOG.warnf("rules table call failed: %s", e.toString());
            throw ProblemException.unavailable("the rules table cannot be reached right now", 1);
        }
    }

    private HttpResponse put(HttpRequest request) {
        Caller caller = admin(request);
        String id = request.pathParameter("id");
        Map<String, Object> fields = json.convertValue(JsonBody.object(request, MAX_BODY), OBJECT);
        Object bodyId = fields.get("id");
        if (bodyId != null && !bodyId.equals(id)) {
            throw ProblemException.invalid("id", "must be left out or equal the id in the path (" + id + ")");
        }
        fields.put("id", id);
        Rule rule;
        try {
            rule = RuleJson.read(fields);
        } catch (InvalidRuleException e) {
            throw new ProblemException(Problem.invalid(e.errors()));
        }
        refuseConfigured(id);
        boolean created = table.put(rule, caller.owner(), Instant.now());
        LOG.infof("rule %s %s by %s: %s", id, created ? "created" : "replaced", caller.owner(), RuleJson.write(rule));
        return HttpResponse.json(created ? 201 : 200, body(rule, "table"));
    }

    private HttpResponse get(HttpRequest request) {
        admin(request);
        String id = request.pathParameter("id");
        Optional<Rule> configured = rules.lastRead().configured(id);
        if (configured.isPresent()) {
            return HttpResponse.json(200, body(configured.get(), "configuration"));
        }
        Rule rule = (id.length() > MAX_ID ? Optional.<Rule>empty() : table.find(id))
                .orElseThrow(() -> ProblemException.notFound("no rate-limit rule " + id + " in the rules table"));
        return HttpResponse.json(200, body(rule, "table"));
    }

    private HttpResponse delete(HttpRequest request) {
        Caller caller = admin(request);
        String id = request.pathParameter("id");
        refuseConfigured(id);
        if (id.length() > MAX_ID || !table.delete(id)) {
            throw ProblemException.notFound("no rate-limit rule " + id + " in the rules table");
        }
        LOG.infof("rule %s deleted by %s", id, caller.owner());
        return HttpResponse.empty(204);
    }

    private Caller admin(HttpRequest request) {
        Caller caller = authenticator.authenticate(request);
        if (!admins.allows(caller.owner())) {
            throw ProblemException.forbidden(!admins.anyone()
                    ? "managing rate-limit rules is closed: no admin owners are configured (admin-owners)"
                    : "managing rate-limit rules is reserved to the configured admin owners");
        }
        return caller;
    }

    private void refuseConfigured(String id) {
        if (rules.lastRead().isConfigured(id)) {
            throw ProblemException.conflict("rule " + id + " comes from configuration (BLOCKS_RATELIMIT_RULES);"
                    + " change it there");
        }
    }

    private ObjectNode body(Rule rule, String source) {
        ObjectNode body = json.valueToTree(RuleJson.write(rule));
        body.put("source", source);
        return body;
    }
}
