package dev.blocks.uploads.store;

import dev.blocks.kit.crypto.Sha256Hash;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * S3 presigned URLs (Signature Version 4, query-string authentication), signed in process. It does what the SDK's
 * S3Presigner does for the three requests the API hands out (PUT object, PUT part, GET object) without the SDK's
 * per-request machinery (endpoint rules, interceptors), and keeps the day's signing key, so a URL costs one SHA-256
 * and one HMAC. {@code QueryPresignerTest} checks every signature against the SDK's presigner.
 */
final class QueryPresigner {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** SigV4 refuses anything longer. */
    static final Duration MAX_EXPIRY = Duration.ofDays(7);

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private record CachedKey(String day, String accessKeyId, String secretAccessKey, byte[] key) {}

    private final String region;
    private final URI bucketUrl;
    private final String host;
    private volatile CachedKey signingKey;

    /** {@code bucketUrl}: {@code https://bucket.s3.region.amazonaws.com} or, path-style, {@code http://host:port/bucket}. */
    QueryPresigner(String region, URI bucketUrl) {
        this.region = region;
        this.bucketUrl = bucketUrl;
        int port = bucketUrl.getPort();
        boolean defaultPort = port == -1 || ("https".equals(bucketUrl.getScheme()) && port == 443)
                || ("http".equals(bucketUrl.getScheme()) && port == 80);
        this.host = bucketUrl.getHost() + (defaultPort ? "" : ":" + port);
    }

    /**
     * A URL for {@code method} on {@code key} with the operation's {@code parameters} (e.g. partNumber) that is
     * valid only with exactly {@code headers} (names lower-case; {@code host} is added).
     */
    String presign(String method, String key, Map<String, String> parameters, Map<String, String> headers,
                   SigningCredentials credentials, Instant now, Duration expiresIn) {
        if (expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("a presigned URL lives 1 second to 7 days, not " + expiresIn);
        }
        String day = DAY.format(now);
        String scope = day + "/" + region + "/s3/aws4_request";
        TreeMap<String, String> canonicalHeaders = new TreeMap<>();
        headers.forEach((name, value) -> canonicalHeaders.put(name.toLowerCase(Locale.ROOT), trimmed(value)));
        canonicalHeaders.put("host", host);
        String signedHeaders = String.join(";", canonicalHeaders.keySet());

        TreeMap<String, String> query = new TreeMap<>();
        parameters.forEach((name, value) -> query.put(encode(name), encode(value)));
        query.put("X-Amz-Algorithm", ALGORITHM);
        query.put("X-Amz-Credential", encode(credentials.accessKeyId() + "/" + scope));
        query.put("X-Amz-Date", STAMP.format(now));
        query.put("X-Amz-Expires", Long.toString(expiresIn.getSeconds()));
        query.put("X-Amz-SignedHeaders", encode(signedHeaders));
        credentials.sessionToken().ifPresent(token -> query.put("X-Amz-Security-Token", encode(token)));
        StringBuilder canonicalQuery = new StringBuilder();
        query.forEach((name, value) -> canonicalQuery.append(canonicalQuery.isEmpty() ? "" : "&").append(name).append('=').append(value));

        String path = bucketUrl.getRawPath() + "/" + encodePath(key);
        StringBuilder canonical = new StringBuilder(512)
                .append(method).append('\n')
                .append(path).append('\n')
                .append(canonicalQuery).append('\n');
        canonicalHeaders.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        canonical.append('\n').append(signedHeaders).append('\n').append("UNSIGNED-PAYLOAD");

        String stringToSign = ALGORITHM + "\n" + STAMP.format(now) + "\n" + scope + "\n" + HEX.formatHex(sha256(canonical.toString()));
        String signature = HEX.formatHex(Sigv4.hmac(signingKey(credentials, day), stringToSign));
        return bucketUrl.getScheme() + "://" + host + path + "?" + canonicalQuery + "&X-Amz-Signature=" + signature;
    }

    private byte[] signingKey(SigningCredentials credentials, String day) {
        CachedKey cached = signingKey;
        if (cached != null && cached.day.equals(day) && cached.accessKeyId.equals(credentials.accessKeyId())
                && cached.secretAccessKey.equals(credentials.secretAccessKey())) {
            return cached.key;
        }
        byte[] key = Sigv4.signingKey(credentials.secretAccessKey(), day, region);
        signingKey = new CachedKey(day, credentials.accessKeyId(), credentials.secretAccessKey(), key);
        return key;
    }

    /** SigV4 canonical header value: surrounding space trimmed, runs of spaces as one. */
    static String trimmed(String value) {
        return value.trim().replaceAll(" {2,}", " ");
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 wants it. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** A key in a path: each segment encoded, the slashes kept (S3 does not normalise paths). */
    static String encodePath(String key) {
        StringBuilder out = new StringBuilder(key.length() + 16);
        int start = 0;
        for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', start)) {
            out.append(encode(key.substring(start, slash))).append('/');
            start = slash + 1;
        }
        return out.append(encode(key.substring(start))).toString();
    }

    private static byte[] sha256(String text) {
        return Sha256Hash.of(text);
    }
}
