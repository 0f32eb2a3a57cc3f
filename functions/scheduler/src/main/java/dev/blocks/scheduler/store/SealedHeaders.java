package dev.blocks.scheduler.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.secrets.SecretCipher;
import dev.blocks.scheduler.domain.Target;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of HTTP targets at rest. They often carry bearer tokens, so the job item keeps only their names (the
 * values redacted) and the whole set encrypted with the deployment's cipher (KMS in AWS, AES-GCM on the local
 * cloud), bound to the job: a sealed value copied onto another job does not open. jobs-api seals before it writes;
 * only jobs-worker opens, at delivery; reads of a job never decrypt anything.
 */
public final class SealedHeaders {

    /** What a header's value reads as everywhere but on the wire to its target. */
    public static final String REDACTED = "***";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretCipher cipher;

    public SealedHeaders(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** {@code target} as it is stored for job {@code jobId}: an HTTP target's header values sealed, others as they are. */
    public Target seal(Target target, String jobId) {
        if (!(target instanceof Target.Http http) || http.headers().isEmpty() || http.sealedHeaders() != null) {
            return target;
        }
        ObjectNode values = JSON.createObjectNode();
        http.headers().forEach(values::put);
        return new Target.Http(http.url(), http.method(), redacted(http.headers()),
                cipher.encrypt(values.toString(), context(jobId)));
    }

    /** The headers to send to {@code target} of job {@code jobId}; fails when they do not decrypt. */
    public Map<String, String> open(Target.Http target, String jobId) {
        if (target.sealedHeaders() == null) {
            return target.headers();
        }
        try {
            JsonNode values = JSON.readTree(cipher.decrypt(target.sealedHeaders(), context(jobId)));
            Map<String, String> headers = new LinkedHashMap<>();
            values.fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            return headers;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the sealed headers of job " + jobId + " are not a JSON object");
        }
    }

    /** The names of {@code headers}, each value replaced by {@link #REDACTED}. */
    public static Map<String, String> redacted(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.keySet().forEach(name -> out.put(name, REDACTED));
        return Collections.unmodifiableMap(out);
    }

    private static String context(String jobId) {
        return "job/" + jobId;
    }
}
