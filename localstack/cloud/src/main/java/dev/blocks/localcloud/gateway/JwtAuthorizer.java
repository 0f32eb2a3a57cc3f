package dev.blocks.localcloud.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.spec.JwtAuthorizerSpec;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP API JWT authorizer: takes the token from the identity source, checks its signature against the
 * issuer's published keys (RS256, ES256), its {@code iss}, {@code aud} (or {@code client_id} when there is no
 * {@code aud}), {@code exp} and {@code nbf}, and the route's scopes ({@code scope} or {@code scp} must hold one of
 * them), as API Gateway does before it invokes the function.
 */
final class JwtAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthorizer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the function's event carries in {@code requestContext.authorizer.jwt}; {@code scopes} is null on a
     * route that requires none, as API Gateway sends it.
     */
    record Authorized(Map<String, String> claims, List<String> scopes) {}

    /** A refused request: the status, and the {@code www-authenticate} header API Gateway sends (or none). */
    record Refused(int status, String body, Optional<String> wwwAuthenticate) {

        static Refused unauthorized(String description) {
            return new Refused(401, "{\"message\":\"Unauthorized\"}", Optional.of(
                    "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + description + "\""));
        }
    }

    /** Either outcome of {@link #authorize}. */
    record Outcome(Optional<Authorized> authorized, Optional<Refused> refused) {
        static Outcome of(Authorized authorized) {
            return new Outcome(Optional.of(authorized), Optional.empty());
        }

        static Outcome of(Refused refused) {
            return new Outcome(Optional.empty(), Optional.of(refused));
        }
    }

    private final JwtAuthorizerSpec spec;
    private final SigningKeys keys;
    private final Clock clock;

    JwtAuthorizer(JwtAuthorizerSpec spec, SigningKeys keys, Clock clock) {
        this.spec = spec;
        this.keys = keys;
        this.clock = clock;
    }

    String name() {
        return spec.name();
    }

    /**
     * Authorizes a request for a route that requires {@code routeScopes} (none: any valid token will do).
     * {@code headers} have lower-case names, {@code query} is decoded.
     */
    Outcome authorize(Map<String, String> headers, Map<String, String> query, List<String> routeScopes) {
        Optional<String> identity = identity(headers, query);
        if (identity.isEmpty()) {
            // No identity source at all: API Gateway refuses without looking further.
            return Outcome.of(new Refused(401, "{\"message\":\"Unauthorized\"}", Optional.empty()));
        }
        String token = identity.get().trim();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).trim();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Outcome.of(Refused.unauthorized("the token is not a valid JWT"));
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IOException | IllegalArgumentException e) {
            return Outcome.of(Refused.unauthorized("the token is not a valid JWT"));
        }
        if (header == null || claims == null || !header.isObject() || !claims.isObject()) {
            return Outcome.of(Refused.unauthorized("the token is not a valid JWT"));
        }
        String algorithm = switch (header.path("alg").asText()) {
            case "RS256" -> "SHA256withRSA";
            case "ES256" -> "SHA256withECDSAinP1363Format";
            default -> null;
        };
        if (algorithm == null) {
            return Outcome.of(Refused.unauthorized("signing method " + header.path("alg").asText()
                    + " is not supported"));
        }
        Optional<PublicKey> key;
        try {
            key = keys.key(header.hasNonNull("kid") ? header.get("kid").asText() : null);
        } catch (SigningKeys.Unavailable e) {
            LOG.warn("authorizer {}: the issuer's keys are unavailable: {}", spec.name(), e.getMessage());
            return Outcome.of(Refused.unauthorized("unable to fetch the issuer's signing keys"));
        }
        if (key.isEmpty() || !verifies(algorithm, key.get(), parts[0] + "." + parts[1], signature)) {
            return Outcome.of(Refused.unauthorized("signature is invalid"));
        }
        if (!spec.issuer().equals(claims.path("iss").asText(null))) {
            return Outcome.of(Refused.unauthorized("the token does not have a valid issuer"));
        }
        if (!hasValidAudience(claims)) {
            return Outcome.of(Refused.unauthorized("the token does not have a valid audience"));
        }
        long now = clock.instant().getEpochSecond();
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber()) {
            return Outcome.of(Refused.unauthorized("the token has no valid expiry"));
        }
        if (exp.asDouble() <= now) {
            return Outcome.of(Refused.unauthorized("the token has expired"));
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && (!nbf.isNumber() || nbf.asDouble() > now)) {
            return Outcome.of(Refused.unauthorized("the token is not valid yet"));
        }
        List<String> tokenScopes = scopes(claims);
        if (!routeScopes.isEmpty() && routeScopes.stream().noneMatch(tokenScopes::contains)) {
            String required = String.join(" ", routeScopes);
            return Outcome.of(new Refused(403, "{\"message\":\"Forbidden\"}", Optional.of(
                    "Bearer scope=\"" + required + "\" error=\"insufficient_scope\" error_description=\""
                            + "expected scopes: [" + required + "]\"")));
        }
        return Outcome.of(new Authorized(rendered(claims), routeScopes.isEmpty() ? null : tokenScopes));
    }

    private Optional<String> identity(Map<String, String> headers, Map<String, String> query) {
        // With several identity sources, API Gateway requires all of them; the token is the first.
        String first = null;
        for (String source : spec.identitySources()) {
            String value = null;
            if (source.startsWith("$request.header.")) {
                value = headers.get(source.substring("$request.header.".length()).toLowerCase(Locale.ROOT));
            } else if (source.startsWith("$request.querystring.")) {
                value = query.get(URLDecoder.decode(source.substring("$request.querystring.".length()),
                        StandardCharsets.UTF_8));
            }
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            if (first == null) {
                first = value;
            }
        }
        return Optional.ofNullable(first);
    }

    private static boolean verifies(String algorithm, PublicKey key, String signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(signed.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Also a key of the wrong type for the algorithm (an EC key named by an RS256 token).
            return false;
        }
    }

    /** {@code aud} decides when present (a string or a list); {@code client_id} only when it is absent. */
    private boolean hasValidAudience(JsonNode claims) {
        JsonNode aud = claims.get("aud");
        if (aud != null && !aud.isNull()) {
            if (aud.isArray()) {
                for (JsonNode one : aud) {
                    if (spec.audiences().contains(one.asText())) {
                        return true;
                    }
                }
                return false;
            }
            return spec.audiences().contains(aud.asText());
        }
        JsonNode clientId = claims.get("client_id");
        return clientId != null && spec.audiences().contains(clientId.asText());
    }

    /** The token's scopes: {@code scope} (space-separated), else {@code scp} (a list or a space-separated string). */
    private static List<String> scopes(JsonNode claims) {
        JsonNode scope = claims.hasNonNull("scope") ? claims.get("scope") : claims.get("scp");
        List<String> scopes = new ArrayList<>();
        if (scope == null || scope.isNull()) {
            return scopes;
        }
        if (scope.isArray()) {
            scope.forEach(one -> scopes.add(one.asText()));
        } else {
            for (String one : scope.asText().split(" ")) {
                if (!one.isEmpty()) {
                    scopes.add(one);
                }
            }
        }
        return scopes;
    }

    /**
     * Every claim as a string, as HTTP APIs hand them to a function: strings as they are, numbers and booleans
     * as their JSON text, a list as its elements inside brackets separated by spaces ({@code [admin editors]}),
     * an object as {@code map[key:value ...]} with its keys sorted (how API Gateway's Go runtime prints them).
     */
    static Map<String, String> rendered(JsonNode claims) {
        Map<String, String> rendered = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = claims.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            rendered.put(field.getKey(), render(field.getValue()));
        }
        return rendered;
    }

    private static String render(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> elements = new ArrayList<>();
            value.forEach(element -> elements.add(render(element)));
            return "[" + String.join(" ", elements) + "]";
        }
        if (value.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            value.fields().forEachRemaining(field -> sorted.put(field.getKey(), render(field.getValue())));
            List<String> entries = new ArrayList<>();
            sorted.forEach((key, element) -> entries.add(key + ":" + element));
            return "map[" + String.join(" ", entries) + "]";
        }
        if (value.isNull()) {
            return "";
        }
        return value.toString();
    }
}
