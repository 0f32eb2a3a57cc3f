package dev.blocks.localcloud.emulators;

import dev.blocks.localcloud.spec.BucketSpec.CorsRule;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy in this JVM over an in-memory store, path-style only, checking every request's SigV2/SigV4 signature
 * (presigned URLs included: a tampered path, signature, expiry or signed header is refused) against one fixed
 * credential pair. Objects survive {@link #stop()} and {@link #start()}: the store outlives the HTTP server.
 * CORS is what the plan's {@code aws_s3_bucket_cors_configuration} allows (see {@link #cors}), and nothing before
 * that: as on S3, a browser is refused unless a rule lets its origin, method and headers in.
 */
public final class S3Emulator extends ServerEmulator {

    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "localsecret";
    public static final String REGION = "us-east-1";

    /** How long a stop waits for requests in flight; idle keep-alive connections also hold it up to this long. */
    private static final long STOP_TIMEOUT_MILLIS = 250;

    private final NotifyingBlobStore store = new NotifyingBlobStore(new TransientNio2BlobStore());
    private S3Proxy proxy;
    private volatile CrossOriginResourceSharing cors = CrossOriginResourceSharing.disabled();

    public S3Emulator() {
        super("s3");
    }

    /** Calls {@code listener} for every object created from now on (on the request thread, before S3 answers). */
    public void onObjectCreated(Consumer<ObjectCreated> listener) {
        store.addListener(listener);
    }

    /** Calls {@code listener} for every existing object deleted from now on (on the request thread). */
    public void onObjectRemoved(Consumer<ObjectRemoved> listener) {
        store.addRemovalListener(listener);
    }

    @Override
    void launch(int port) throws Exception {
        proxy = S3Proxy.builder()
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .corsRules(cors)
                // newer SDKs send x-amz-* headers S3Proxy does not know yet; they are still covered by the signature
                .ignoreUnknownHeaders(true)
                .stopTimeout(STOP_TIMEOUT_MILLIS)
                .build();
        proxy.start();
    }

    @Override
    void halt() throws Exception {
        if (proxy != null) {
            S3Proxy stopping = proxy;
            proxy = null;
            try {
                stopping.stop();
            } catch (TimeoutException e) {
                // Jetty gave up waiting for open connections and closed them: the server is stopped all the same.
            }
        }
    }

    @Override
    boolean healthy() throws Exception {
        // an anonymous ListBuckets is answered 403: the server is up and checking signatures
        return answersHttp(URI.create(httpEndpoint() + "/"));
    }

    @Override
    public String endpoint() {
        return httpEndpoint();
    }

    /**
     * Applies the CORS rules of the plan's buckets (restarting the server, objects kept). S3Proxy has one rule set
     * for every bucket, so the buckets' rules are merged: a stack whose buckets differ in CORS is refused rather
     * than served more kindly than S3 would.
     */
    public synchronized void cors(Map<String, List<CorsRule>> rulesByBucket) throws Exception {
        Set<List<CorsRule>> distinct = new HashSet<>();
        rulesByBucket.values().stream().filter(rules -> !rules.isEmpty()).forEach(distinct::add);
        if (distinct.size() > 1) {
            throw new IllegalArgumentException("buckets " + rulesByBucket.keySet() + " have different CORS rules;"
                    + " the local S3 (S3Proxy) applies one rule set to every bucket");
        }
        List<CorsRule> rules = distinct.isEmpty() ? List.of() : distinct.iterator().next();
        cors = rules.isEmpty() ? CrossOriginResourceSharing.disabled() : new CrossOriginResourceSharing(
                union(rules, CorsRule::allowedOrigins),
                union(rules, CorsRule::allowedMethods),
                union(rules, CorsRule::allowedHeaders),
                union(rules, CorsRule::exposeHeaders),
                "");
        if (running()) {
            stop();
            start();
        }
    }

    private static List<String> union(List<CorsRule> rules, Function<CorsRule, List<String>> field) {
        Set<String> values = new LinkedHashSet<>();
        rules.forEach(rule -> values.addAll(field.apply(rule) == null ? List.of() : field.apply(rule)));
        return List.copyOf(values);
    }
}
