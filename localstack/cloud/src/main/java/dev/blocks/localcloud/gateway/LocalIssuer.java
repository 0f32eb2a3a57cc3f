package dev.blocks.localcloud.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.http.Exchange;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.spec.RouteSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An OpenID issuer built into the local cloud, under {@code /issuer} of the admin endpoint: a Terraform stack for
 * target local names it as {@code local-cloud://issuer} in its JWT authorizer, and developers and tests mint tokens
 * with {@code POST /issuer/tokens} (the JSON body is the claims; {@code iss}, {@code iat} and {@code exp}, one hour,
 * are filled in unless given). The gateway verifies them as it verifies any issuer's: through the discovery
 * document and the key set, so the authorizer path is the one a real identity provider takes.
 */
public final class LocalIssuer {

    /** What a local stack writes as its authorizer's issuer. */
    public static final String PLACEHOLDER = "local-cloud://issuer";
    private static final String PATH = "/issuer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_CLAIMS_BYTES = 64 * 1024;

    private final String url;
    private final KeyPair key;
    private final String keyId = UUID.randomUUID().toString();

    private LocalIssuer(String url) {
        this.url = url;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.key = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA on this JVM", e);
        }
    }

    /** Serves the issuer under {@code /issuer} of {@code server} (which the caller starts and closes). */
    public static LocalIssuer serve(LoopbackServer server) {
        LocalIssuer issuer = new LocalIssuer(server.url() + PATH);
        server.handle(PATH + "/", issuer::handle);
        return issuer;
    }

    /** The issuer's URL: the {@code iss} of its tokens, under which its discovery document is served. */
    public String url() {
        return url;
    }

    /** The routes with {@link #PLACEHOLDER} replaced by this issuer's URL in their authorizers. */
    public List<RouteSpec> resolve(List<RouteSpec> routes) {
        return routes.stream().map(route -> route.authorizer()
                .filter(authorizer -> authorizer.issuer().equals(PLACEHOLDER))
                .map(authorizer -> new RouteSpec(route.routeKey(), route.functionName(),
                        java.util.Optional.of(new dev.blocks.localcloud.spec.JwtAuthorizerSpec(authorizer.name(),
                                authorizer.identitySources(), url, authorizer.audiences())),
                        route.authorizationScopes(), route.timeoutMillis()))
                .orElse(route)).toList();
    }

    /** A signed token (RS256) with {@code claims}, plus {@code iss}, {@code iat} and {@code exp} unless given. */
    public String mint(JsonNode claims) {
        ObjectNode body = claims != null && claims.isObject() ? ((ObjectNode) claims).deepCopy() : JSON.createObjectNode();
        long now = Instant.now().getEpochSecond();
        if (!body.has("iss")) {
            body.put("iss", url);
        }
        if (!body.has("iat")) {
            body.put("iat", now);
        }
        if (!body.has("exp")) {
            body.put("exp", now + 3600);
        }
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT").put("kid", keyId);
        String signingInput = encode(header) + "." + encode(body);
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key.getPrivate());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private void handle(Exchange exchange) throws IOException {
        String path = exchange.uri().getPath().substring(PATH.length());
        if (exchange.method().equals("GET") && path.equals("/.well-known/openid-configuration")) {
            exchange.replyJson(200, Map.of("issuer", url, "jwks_uri", url + "/jwks",
                    "id_token_signing_alg_values_supported", List.of("RS256")));
        } else if (exchange.method().equals("GET") && path.equals("/jwks")) {
            RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
            exchange.replyJson(200, Map.of("keys", List.of(Map.of("kty", "RSA", "use", "sig", "alg", "RS256",
                    "kid", keyId, "n", unsigned(publicKey.getModulus().toByteArray()),
                    "e", unsigned(publicKey.getPublicExponent().toByteArray())))));
        } else if (exchange.method().equals("POST") && path.equals("/tokens")) {
            JsonNode claims;
            try {
                byte[] body = exchange.body(MAX_CLAIMS_BYTES);
                claims = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                exchange.replyJson(400, Map.of("message", "the body must be a JSON object of claims"));
                return;
            }
            if (claims == null || !claims.isObject()) {
                exchange.replyJson(400, Map.of("message", "the body must be a JSON object of claims"));
                return;
            }
            exchange.replyJson(200, Map.of("token", mint(claims)));
        } else {
            exchange.replyJson(404, Map.of("message", "no such issuer resource: " + exchange.method() + " " + path));
        }
    }

    private static String encode(JsonNode node) {
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JWK numbers are unsigned big-endian: BigInteger's sign byte goes. */
    private static String unsigned(byte[] twosComplement) {
        int skip = twosComplement.length > 1 && twosComplement[0] == 0 ? 1 : 0;
        return BASE64URL.encodeToString(java.util.Arrays.copyOfRange(twosComplement, skip, twosComplement.length));
    }
}
