package dev.blocks.kit.redis;

import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The password of an IAM-enabled ElastiCache user: a SigV4 presigned {@code GET
 * http://<cache>/?Action=connect&User=<user>[&ResourceType=ServerlessCache]} for the service {@code elasticache},
 * valid {@link #VALIDITY}, without its {@code http://}. ElastiCache checks the signature against IAM
 * ({@code elasticache:Connect} on the cache and the user) when the connection sends {@code AUTH}/{@code HELLO}.
 *
 * <p>Signing is local (HMAC-SHA256 over the request, no network call); the credentials and the clock are given, so
 * the same inputs always give the same token.
 */
public final class ElastiCacheIamToken {

    /** How long a token is accepted for connecting: the most ElastiCache allows. */
    public static final Duration VALIDITY = Duration.ofMinutes(15);

    private final String cacheName;
    private final String user;
    private final boolean serverless;
    private final String region;

    /**
     * {@code cacheName}: the serverless cache's name or the replication group's id (lower case, as ElastiCache
     * names it); {@code user}: the IAM-enabled user's id (equal to its name); {@code serverless}: whether the cache
     * is an ElastiCache Serverless cache.
     */
    public ElastiCacheIamToken(String cacheName, String user, boolean serverless, String region) {
        this.cacheName = require(cacheName, "cache name");
        this.user = require(user, "user");
        this.serverless = serverless;
        this.region = require(region, "region");
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("ElastiCache IAM auth needs a " + what);
        }
        return value;
    }

    /** A token valid from {@code clock}'s now for {@link #VALIDITY}. */
    public String generate(AwsCredentialsIdentity credentials, Clock clock) {
        SdkHttpRequest.Builder connect = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("http")
                .host(cacheName)
                .encodedPath("/")
                .putRawQueryParameter("Action", "connect")
                .putRawQueryParameter("User", user);
        if (serverless) {
            connect.putRawQueryParameter("ResourceType", "ServerlessCache");
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(connect.build())
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "elasticache")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, VALIDITY)
                // The hash of the empty body is signed (not UNSIGNED-PAYLOAD), as botocore and AWS's own examples do.
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock))
                .request();
        String url = signed.getUri().toString();
        return url.substring("http://".length());
    }
}
