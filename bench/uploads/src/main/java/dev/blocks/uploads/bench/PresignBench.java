package dev.blocks.uploads.bench;

import dev.blocks.uploads.domain.MediaType;
import dev.blocks.uploads.domain.PartPlan;
import dev.blocks.uploads.domain.Sha256;
import dev.blocks.uploads.store.UploadBucket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * How many presigned URLs the uploads API signs per second, with the production code ({@link UploadBucket}).
 *
 * <p>Zero network calls per presign, shown two ways: the endpoint is a port nothing listens on, and the S3 client
 * {@link UploadBucket} is given gets an HTTP client that counts and refuses every request. The run fails if a
 * single request was attempted. The AWS SDK's own presigner is measured too, for comparison.
 */
public final class PresignBench {

    private static final Duration ROUND = Duration.ofSeconds(3);
    private static final int ROUNDS = 5;
    private static final int WARM_UP_ROUNDS = 2;
    private static final long MIB = 1L << 20;

    public static void main(String[] args) throws Exception {
        CountingRefusingHttpClient network = new CountingRefusingHttpClient();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "session-token-as-lambda-has-one"));
        URI nowhere = URI.create("http://127.0.0.1:1");
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(nowhere)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
             S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(nowhere).forcePathStyle(true).httpClient(network).build()) {
            String bucketName = "blocks-uploads-000000000000-us-east-1";
            UploadBucket bucket = new UploadBucket(s3, bucketName, credentials, "us-east-1");
            MediaType type = MediaType.parse("application/pdf").orElseThrow();
            Sha256 digest = new Sha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
            PartPlan plan = PartPlan.of(50L * 1024 * MIB, 8 * MIB);
            String multipartId = "2~" + UUID.randomUUID();

            System.out.printf(Locale.ROOT, "java %s, %d cores; %d rounds of %d s after %d warm-up rounds%n",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), ROUNDS, ROUND.toSeconds(),
                    WARM_UP_ROUNDS);
            for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
                report("PUT URL (type, length, SHA-256, If-None-Match signed)", threads, 1, i -> {
                    Instant now = Instant.now();
                    bucket.presignPut(key(i), type, 1234, Optional.of(digest), now.plusSeconds(900), now);
                });
                report("part URLs, batches of 100 (50 GiB file, 6400 parts)", threads, 100, i -> {
                    Instant now = Instant.now();
                    int first = (i * 100) % plan.partCount();
                    for (int n = first + 1; n <= first + 100; n++) {
                        bucket.presignPart("uploads/alice/2026/11/x", multipartId, n, plan.sizeOf(n), now.plusSeconds(3600), now);
                    }
                });
                report("POST policy forms", threads, 1, i -> {
                    Instant now = Instant.now();
                    bucket.postForm(key(i), type, 1234, Optional.of(digest), now.plusSeconds(900), now);
                });
                report("download URLs (Content-Disposition signed)", threads, 1,
                        i -> bucket.presignDownload(key(i), "Grüße 東京.pdf", type, Duration.ofMinutes(5), Instant.now()));
                // For comparison: the same PUT URL from the AWS SDK's presigner, which the module does not use.
                report("PUT URL by the AWS SDK's S3Presigner (comparison)", threads, 1, i -> presigner.presignPutObject(p -> p
                        .signatureDuration(Duration.ofMinutes(15))
                        .putObjectRequest(b -> b.bucket(bucketName).key(key(i)).contentType("application/pdf")
                                .contentLength(1234L).ifNoneMatch("*").checksumSHA256(digest.base64()))));
            }
        }
        System.out.printf(Locale.ROOT, "network requests attempted: %d%n", network.attempts.get());
        if (network.attempts.get() != 0) {
            throw new IllegalStateException("presigning made network requests");
        }
    }

    private static String key(int i) {
        return "uploads/alice/2026/11/" + new UUID(i, ~i);
    }

    /** Runs {@code work} (making {@code urlsPerCall} URLs per call) on {@code threads} threads; prints URLs/s. */
    private static void report(String name, int threads, int urlsPerCall, IntConsumer work) throws InterruptedException {
        for (int w = 0; w < WARM_UP_ROUNDS; w++) {
            measure(threads, work, ROUND);
        }
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            rates.add(measure(threads, work, ROUND) * urlsPerCall / (ROUND.toNanos() / 1e9));
        }
        rates.sort(Double::compare);
        System.out.printf(Locale.ROOT, "%-58s %d thread%s: median %,10.0f URLs/s (min %,.0f, max %,.0f) = %.1f us per URL per thread%n",
                name, threads, threads == 1 ? " " : "s", rates.get(ROUNDS / 2), rates.get(0), rates.get(ROUNDS - 1),
                threads * 1e6 / rates.get(ROUNDS / 2));
    }

    private static long measure(int threads, IntConsumer work, Duration duration) throws InterruptedException {
        LongAdder calls = new LongAdder();
        AtomicLong sequence = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        long end = System.nanoTime() + duration.toNanos();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() - end < 0) {
                    work.accept((int) sequence.incrementAndGet());
                    calls.increment();
                }
                done.countDown();
            });
            thread.start();
        }
        done.await();
        return calls.sum();
    }

    /** An HTTP client that records and refuses every request: a presign that needed the network would fail. */
    private static final class CountingRefusingHttpClient implements SdkHttpClient {
        final AtomicLong attempts = new AtomicLong();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            attempts.incrementAndGet();
            throw new IllegalStateException("no network in a presign: " + request.httpRequest().getUri());
        }

        @Override
        public void close() {}
    }
}
