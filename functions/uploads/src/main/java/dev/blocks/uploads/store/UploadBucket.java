package dev.blocks.uploads.store;

import dev.blocks.uploads.UploadsConfig;
import dev.blocks.uploads.domain.ClaimedPart;
import dev.blocks.uploads.domain.ContentDisposition;
import dev.blocks.uploads.domain.MediaType;
import dev.blocks.uploads.domain.Part;
import dev.blocks.uploads.domain.Sha256;
import dev.blocks.uploads.domain.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The uploads bucket: presigned URLs and POST policies (signed in process: no network call), multipart
 * bookkeeping and HeadObject. File bytes never pass through here.
 */
@ApplicationScoped
public class UploadBucket {

    private final S3Client s3;
    private final String bucket;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String bucketUrl;
    private final QueryPresigner presigner;

    @Inject
    UploadBucket(S3Client s3, UploadsConfig config) {
        this(s3, config.bucket(), DefaultCredentialsProvider.builder().build(),
                new DefaultAwsRegionProviderChain().getRegion().id());
    }

    /**
     * For code that builds its own client (the benchmark). {@code s3} gives the bucket's URL (endpoint override,
     * path-style or virtual-hosted) and runs the calls that are not presigned.
     */
    public UploadBucket(S3Client s3, String bucket, AwsCredentialsProvider credentials, String region) {
        this.s3 = s3;
        this.bucket = bucket;
        this.credentials = credentials;
        this.region = region;
        this.bucketUrl = bucketUrl(s3, bucket);
        this.presigner = new QueryPresigner(region, URI.create(bucketUrl));
    }

    /**
     * A PUT of exactly {@code size} bytes of {@code contentType} (and {@code sha256}, when declared) to a key that
     * must not exist yet: {@code If-None-Match: *} makes S3 refuse a second PUT with the same URL, so a completed
     * file cannot be replaced under its record.
     */
    public SignedRequest presignPut(String key, MediaType contentType, long size, Optional<Sha256> sha256,
                                    Instant expiresAt, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-length", Long.toString(size));
        headers.put("content-type", contentType.toString());
        headers.put("if-none-match", "*");
        sha256.ifPresent(digest -> headers.put("x-amz-checksum-sha256", digest.base64()));
        return signed("PUT", key, Map.of(), headers, expiresAt, now);
    }

    /** A PUT of part {@code partNumber}, exactly {@code size} bytes. */
    public SignedRequest presignPart(String key, String multipartUploadId, int partNumber, long size,
                                     Instant expiresAt, Instant now) {
        return signed("PUT", key, Map.of("partNumber", Integer.toString(partNumber), "uploadId", multipartUploadId),
                Map.of("content-length", Long.toString(size)), expiresAt, now);
    }

    /** A GET that saves the file under its original name (Range requests work, S3 serves them). */
    public String presignDownload(String key, String filename, MediaType contentType, Duration ttl, Instant now) {
        Map<String, String> parameters = Map.of(
                "response-content-disposition", ContentDisposition.attachment(filename),
                "response-content-type", contentType.toString());
        return signed("GET", key, parameters, Map.of(), now.plus(ttl), now).url();
    }

    /** A browser form upload of exactly {@code size} bytes under a signed POST policy. */
    public PostForm postForm(String key, MediaType contentType, long size, Optional<Sha256> sha256, Instant expiresAt,
                             Instant now) {
        SigningCredentials signer = SigningCredentials.of(credentials.resolveCredentials());
        return new PostForm(bucketUrl, PostPolicy.fields(signer, region, bucket, key, contentType, size, sha256, now, expiresAt),
                expiresAt);
    }

    public String createMultipart(String key, MediaType contentType) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType.toString())).uploadId();
    }

    /** The parts S3 holds, or empty when the multipart upload is gone (completed or aborted). */
    public Optional<List<Part>> listParts(String key, String multipartUploadId) {
        List<Part> parts = new ArrayList<>();
        Integer marker = null;
        try {
            while (true) {
                Integer from = marker;
                ListPartsResponse page = s3.listParts(b -> b.bucket(bucket).key(key).uploadId(multipartUploadId)
                        .partNumberMarker(from));
                page.parts().forEach(p -> parts.add(new Part(p.partNumber(), p.size(), p.eTag())));
                if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextPartNumberMarker() == null) {
                    return Optional.of(parts);
                }
                marker = page.nextPartNumberMarker();
            }
        } catch (NoSuchUploadException e) {
            return Optional.empty();
        }
    }

    /**
     * Completes a multipart upload with {@code parts}.
     *
     * @throws NoSuchUploadException when S3 no longer knows the upload (completed before, or aborted)
     */
    public void completeMultipart(String key, String multipartUploadId, List<ClaimedPart> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag("\"" + p.eTag() + "\"").build())
                .toList();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(multipartUploadId)
                .multipartUpload(m -> m.parts(completed)));
    }

    /** Aborts a multipart upload; one S3 no longer knows counts as aborted. */
    public void abortMultipart(String key, String multipartUploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(multipartUploadId));
        } catch (NoSuchUploadException e) {
            // already completed or aborted: nothing is left to clean up
        }
    }

    /** The object at {@code key} as S3 describes it, with its SHA-256 when S3 keeps one; empty when absent. */
    public Optional<StoredObject> head(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            return Optional.of(new StoredObject(head.contentLength(), head.contentType(), head.eTag(),
                    Sha256.parseBase64(head.checksumSHA256())));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    public String bucket() {
        return bucket;
    }

    /** Where a form POST goes and presigned URLs start: path-style or virtual-hosted, as the client is configured. */
    private static String bucketUrl(S3Client s3, String bucket) {
        String probe = "k";
        String objectUrl = s3.utilities().getUrl(b -> b.bucket(bucket).key(probe)).toString();
        // "https://bucket.s3.region.amazonaws.com/k" or "http://host:port/bucket/k" without "/k"
        return objectUrl.substring(0, objectUrl.length() - probe.length() - 1);
    }

    private SignedRequest signed(String method, String key, Map<String, String> parameters, Map<String, String> headers,
                                 Instant expiresAt, Instant now) {
        String url = presigner.presign(method, key, parameters, headers,
                SigningCredentials.of(credentials.resolveCredentials()), now, lifetime(now, expiresAt));
        return new SignedRequest(method, url, headers, expiresAt);
    }

    private static Duration lifetime(Instant now, Instant expiresAt) {
        Duration left = Duration.between(now, expiresAt);
        if (left.isNegative() || left.isZero()) {
            throw new IllegalArgumentException("the upload has expired");
        }
        // SigV4 expiry has whole-second resolution; round up so the URL lives at least until expiresAt.
        return Duration.ofSeconds(left.getSeconds() + (left.getNano() > 0 ? 1 : 0));
    }
}
