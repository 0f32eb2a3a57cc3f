package dev.blocks.localcloud.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The public keys of one JWT issuer, found as API Gateway finds them: the issuer's OIDC discovery document
 * ({@code <issuer>/.well-known/openid-configuration}) names the {@code jwks_uri}, whose RSA and P-256 keys are
 * cached by {@code kid}. A token signed with a key not in the cache makes the set be fetched again (an issuer
 * rotating its keys), at most once every {@link #REFRESH_INTERVAL}.
 */
final class SigningKeys {

    /** The fewest time between two fetches of the key set, so that made-up kids cannot flood the issuer. */
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

    /** The issuer's keys could not be fetched or read. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final URI issuer;
    private final HttpClient http;
    private final Clock clock;
    private Map<String, PublicKey> keys = Map.of();
    private Instant fetched;

    SigningKeys(String issuer, HttpClient http, Clock clock) {
        this.issuer = checkedIssuer(issuer);
        this.http = http;
        this.clock = clock;
    }

    /**
     * API Gateway requires an https issuer. A local issuer is a test's or a developer's: plain http is allowed
     * for loopback addresses only, so that nothing here trusts keys fetched in clear text over a network.
     */
    static URI checkedIssuer(String issuer) {
        URI uri;
        try {
            uri = URI.create(issuer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JWT issuer is not a URL: " + issuer);
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("JWT issuer must be an absolute URL without query or fragment: "
                    + issuer);
        }
        if ("https".equals(uri.getScheme())) {
            return uri;
        }
        if ("http".equals(uri.getScheme()) && isLoopback(uri.getHost())) {
            return uri;
        }
        throw new IllegalArgumentException("JWT issuer must be https (http only on loopback): " + issuer);
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The key {@code kid} names (or the only key, when the token names none). */
    synchronized Optional<PublicKey> key(String kid) throws Unavailable {
        Optional<PublicKey> known = lookup(kid);
        if (known.isPresent()) {
            return known;
        }
        if (fetched == null || !clock.instant().isBefore(fetched.plus(REFRESH_INTERVAL))) {
            keys = fetch();
            fetched = clock.instant();
        }
        return lookup(kid);
    }

    private Optional<PublicKey> lookup(String kid) {
        if (kid == null) {
            return keys.size() == 1 ? Optional.of(keys.values().iterator().next()) : Optional.empty();
        }
        return Optional.ofNullable(keys.get(kid));
    }

    private Map<String, PublicKey> fetch() throws Unavailable {
        String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
        JsonNode discovery = get(URI.create(base + ".well-known/openid-configuration"));
        String jwksUri = discovery.path("jwks_uri").asText(null);
        if (jwksUri == null) {
            throw new Unavailable("the discovery document of " + issuer + " has no jwks_uri");
        }
        URI jwks;
        try {
            jwks = checkedIssuer(jwksUri);
        } catch (IllegalArgumentException e) {
            throw new Unavailable("jwks_uri " + jwksUri + " of " + issuer + " is not https (or http on loopback)");
        }
        Map<String, PublicKey> found = new HashMap<>();
        int unnamed = 0;
        for (JsonNode jwk : get(jwks).path("keys")) {
            if (!jwk.path("use").asText("sig").equals("sig")) {
                continue;
            }
            Optional<PublicKey> key = publicKey(jwk);
            if (key.isPresent()) {
                found.put(jwk.path("kid").asText("#" + unnamed++), key.get());
            }
        }
        return Map.copyOf(found);
    }

    private JsonNode get(URI uri) throws Unavailable {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new Unavailable(uri + " answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Unavailable(uri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(uri + ": interrupted");
        }
    }

    /** An RSA or P-256 key of a JWK set; other key types and curves are skipped. */
    static Optional<PublicKey> publicKey(JsonNode jwk) {
        try {
            switch (jwk.path("kty").asText()) {
                case "RSA" -> {
                    return Optional.of(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            unsigned(jwk.path("n").asText()), unsigned(jwk.path("e").asText()))));
                }
                case "EC" -> {
                    if (!jwk.path("crv").asText().equals("P-256")) {
                        return Optional.empty();
                    }
                    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                    parameters.init(new ECGenParameterSpec("secp256r1"));
                    ECPoint point = new ECPoint(unsigned(jwk.path("x").asText()), unsigned(jwk.path("y").asText()));
                    return Optional.of(KeyFactory.getInstance("EC").generatePublic(
                            new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class))));
                }
                default -> {
                    return Optional.empty();
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static BigInteger unsigned(String base64url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64url));
    }
}
