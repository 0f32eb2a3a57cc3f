package dev.blocks.localcloud.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.http.LoopbackServer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OpenID issuer for tests: serves its discovery document and key set (one RSA and one P-256 key, made
 * here) on loopback, and signs tokens with them. Counts key-set fetches, so tests can see the gateway's cache.
 */
final class TestIssuer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final LoopbackServer server;
    private final KeyPair rsa;
    /** A second RSA key, published once {@link #rotate} is called: an issuer rotating its keys. */
    private final KeyPair next;
    private volatile boolean rotated;
    private final KeyPair ec;
    private final AtomicInteger keySetFetches = new AtomicInteger();

    TestIssuer() throws IOException, GeneralSecurityException {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        next = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
        server = new LoopbackServer("issuer", 0);
        server.handle("/.well-known/openid-configuration", exchange -> exchange.replyJson(200, Map.of(
                "issuer", url(), "jwks_uri", url() + "/keys")));
        server.handle("/keys", exchange -> {
            keySetFetches.incrementAndGet();
            exchange.replyJson(200, keySet());
        });
        server.start();
    }

    String url() {
        return server.url();
    }

    int keySetFetches() {
        return keySetFetches.get();
    }

    /** An RS256 token of the issuer's RSA key. */
    String rs256(Map<String, ?> claims) throws GeneralSecurityException, IOException {
        return sign("RS256", "rsa-1", rsa.getPrivate(), "SHA256withRSA", claims);
    }

    /** An RS256 token of the key {@link #rotate} publishes. */
    String rs256WithNextKey(Map<String, ?> claims) throws GeneralSecurityException, IOException {
        return sign("RS256", "rsa-2", next.getPrivate(), "SHA256withRSA", claims);
    }

    /** Publishes a second RSA key ({@code rsa-2}) next to the first. */
    void rotate() {
        rotated = true;
    }

    /** An ES256 token of the issuer's P-256 key. */
    String es256(Map<String, ?> claims) throws GeneralSecurityException, IOException {
        return sign("ES256", "ec-1", ec.getPrivate(), "SHA256withECDSAinP1363Format", claims);
    }

    /** An RS256 token naming the issuer's RSA key but signed by another key. */
    String forged(Map<String, ?> claims) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return sign("RS256", "rsa-1", generator.generateKeyPair().getPrivate(), "SHA256withRSA", claims);
    }

    private static String sign(String alg, String kid, PrivateKey key, String algorithm, Map<String, ?> claims)
            throws GeneralSecurityException, IOException {
        String header = BASE64URL.encodeToString(JSON.writeValueAsBytes(Map.of("alg", alg, "kid", kid, "typ", "JWT")));
        String payload = BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance(algorithm);
        signature.initSign(key);
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + BASE64URL.encodeToString(signature.sign());
    }

    private ObjectNode keySet() {
        ObjectNode set = JSON.createObjectNode();
        RSAPublicKey rsaKey = (RSAPublicKey) rsa.getPublic();
        ArrayNode keys = set.putArray("keys");
        keys.addObject()
                .put("kty", "RSA").put("kid", "rsa-1").put("use", "sig").put("alg", "RS256")
                .put("n", unsigned(rsaKey.getModulus())).put("e", unsigned(rsaKey.getPublicExponent()));
        if (rotated) {
            RSAPublicKey nextKey = (RSAPublicKey) next.getPublic();
            keys.addObject()
                    .put("kty", "RSA").put("kid", "rsa-2").put("use", "sig").put("alg", "RS256")
                    .put("n", unsigned(nextKey.getModulus())).put("e", unsigned(nextKey.getPublicExponent()));
        }
        ECPublicKey ecKey = (ECPublicKey) ec.getPublic();
        keys.addObject()
                .put("kty", "EC").put("kid", "ec-1").put("use", "sig").put("crv", "P-256")
                .put("x", coordinate(ecKey.getW().getAffineX())).put("y", coordinate(ecKey.getW().getAffineY()));
        return set;
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return BASE64URL.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    /** A P-256 coordinate is always 32 bytes in a JWK. */
    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return BASE64URL.encodeToString(fixed);
    }

    @Override
    public void close() {
        server.close();
    }
}
