package dev.blocks.localcloud.emulators;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy in this JVM over an in-memory store, path-style only, checking every request's SigV2/SigV4 signature
 * (presigned URLs included: a tampered path, signature, expiry or signed header is refused) against one fixed
 * credential pair. Objects survive {@link #stop()} and {@link #start()}: the store outlives the HTTP server.
 * Browser uploads from any origin pass CORS, as local development needs.
 */
public final class S3Emulator extends ServerEmulator {

    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "localsecret";
    public static final String REGION = "us-east-1";

    /** How long a stop waits for requests in flight; idle keep-alive connections also hold it up to this long. */
    private static final long STOP_TIMEOUT_MILLIS = 250;

    private final NotifyingBlobStore store = new NotifyingBlobStore(new TransientNio2BlobStore());
    private S3Proxy proxy;

    public S3Emulator() {
        super("s3");
    }

    /** Calls {@code listener} for every object created from now on (on the request thread, before S3 answers). */
    public void onObjectCreated(Consumer<ObjectCreated> listener) {
        store.addListener(listener);
    }

    @Override
    void launch(int port) throws Exception {
        proxy = S3Proxy.builder()
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .corsRules(anyOrigin())
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

    private static CrossOriginResourceSharing anyOrigin() {
        return new CrossOriginResourceSharing(
                List.of("*"),
                List.of("GET", "HEAD", "PUT", "POST", "DELETE"),
                List.of("*"),
                // what a browser upload reads back: the ETag of each part to complete a multipart upload
                List.of("ETag", "x-amz-version-id", "x-amz-request-id", "x-amz-checksum-crc32",
                        "x-amz-checksum-crc32c", "x-amz-checksum-sha1", "x-amz-checksum-sha256", "Location"),
                "");
    }
}
