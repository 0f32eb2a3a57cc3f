package dev.blocks.kit.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.blocks.kit.crypto.Sha256Hash;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * What an idempotency key remembers of its request, to tell a retry (same fingerprint) from the key reused for
 * another request: a SHA-256 of the route and the canonical JSON of the body, in which object members are sorted
 * by name, so that a client re-serialising the same body in another member order still sends "the same" request.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {}

    /** {@code sha256:<base64url>} of {@code route} and the canonical form of {@code body}. */
    public static String of(String route, JsonNode body) {
        StringBuilder text = new StringBuilder(route).append('\n');
        canonical(body, text);
        return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256Hash.of(text.toString()));
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node == null || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(TextNode.valueOf(names.get(i)).toString()).append(':');
                canonical(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), out);
            }
            out.append(']');
        } else {
            // Scalars as Jackson writes them: strings quoted and escaped, numbers as parsed.
            out.append(node.toString());
        }
    }
}
