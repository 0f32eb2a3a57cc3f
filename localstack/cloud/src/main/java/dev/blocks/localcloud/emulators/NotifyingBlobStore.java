package dev.blocks.localcloud.emulators;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * S3Proxy's store with a tap on every completed object write and every deletion of an existing object (single or
 * in a multi-object delete, which S3Proxy runs as single deletes), since S3Proxy itself has no notifications.
 * Listeners run on the request thread before S3 answers the client, so an event is delivered by the time the
 * upload call returns; a failing listener is logged and never fails the upload.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {

    /**
     * S3Proxy keeps a multipart upload's metadata in a hidden stub object named with this prefix (the key of
     * {@code S3ProxyHandler.multipartStubName}); writing it is bookkeeping, not an object creation.
     */
    static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

    /**
     * S3Proxy stores a browser form upload (POST) with the same {@code putBlob} call as a PUT; the handler method
     * on the call stack is the only thing that tells the two apart.
     */
    private static final String FORM_UPLOAD_HANDLER = "handlePostBlob";

    private static final Logger LOG = LoggerFactory.getLogger(NotifyingBlobStore.class);

    private final List<Consumer<ObjectCreated>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ObjectRemoved>> removalListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() << 20);

    NotifyingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    void addListener(Consumer<ObjectCreated> listener) {
        listeners.add(listener);
    }

    void addRemovalListener(Consumer<ObjectRemoved> listener) {
        removalListeners.add(listener);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        // S3 reports the removal of an object, not a delete of a key that held none.
        boolean existed = !removalListeners.isEmpty() && !request.key().startsWith(MULTIPART_STUB_PREFIX)
                && exists(request.bucket(), request.key());
        DeleteObjectResponse response = super.removeBlob(request);
        if (existed) {
            var event = new ObjectRemoved(request.bucket(), request.key(), ObjectRemoved.DELETE,
                    String.format("%016X", sequence.incrementAndGet()));
            for (Consumer<ObjectRemoved> listener : removalListeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("An S3 object-removed listener failed for s3://{}/{}", request.bucket(), request.key(), e);
                }
            }
        }
        return response;
    }

    private boolean exists(String bucket, String key) {
        try {
            return delegate().blobMetadataIfPresent(bucket, key) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        if (!request.key().startsWith(MULTIPART_STUB_PREFIX)) {
            created(request.bucket(), request.key(), response.eTag(), fromBrowserForm() ? ObjectCreated.POST : ObjectCreated.PUT);
        }
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        String eTag = response.copyObjectResult() == null ? null : response.copyObjectResult().eTag();
        created(request.destinationBucket(), request.destinationKey(), eTag, ObjectCreated.COPY);
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        created(request.bucket(), request.key(), response.eTag(), ObjectCreated.COMPLETE_MULTIPART_UPLOAD);
        return response;
    }

    private void created(String bucket, String key, String eTag, String eventName) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            // The store's own record gives the size for every kind of write, and the ETag when the write's answer
            // lacks one.
            var metadata = delegate().blobMetadata(bucket, key);
            String tag = eTag != null ? eTag : metadata.eTag();
            var event = new ObjectCreated(bucket, key, metadata.contentLength(), unquoted(tag), eventName,
                    String.format("%016X", sequence.incrementAndGet()));
            for (Consumer<ObjectCreated> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("An S3 object-created listener failed for s3://{}/{}", bucket, key, e);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not describe the new object s3://{}/{} for its listeners", bucket, key, e);
        }
    }

    private static boolean fromBrowserForm() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame ->
                frame.getMethodName().equals(FORM_UPLOAD_HANDLER) && frame.getClassName().startsWith("org.gaul.s3proxy.")));
    }

    private static String unquoted(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }
}
