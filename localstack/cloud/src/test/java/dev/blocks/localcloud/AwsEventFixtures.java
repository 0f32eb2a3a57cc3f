package dev.blocks.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sample events in {@code src/test/resources/aws-events} (AWS's documented shapes, our values), and the
 * shape of an event: every field's path and JSON type, so that two events compare by structure, not values.
 */
public final class AwsEventFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AwsEventFixtures() {
    }

    public static JsonNode read(String name) {
        try (InputStream in = AwsEventFixtures.class.getResourceAsStream("/aws-events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture aws-events/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Path → JSON type of every value ({@code Records[].s3.object.size → number}); array elements share one path.
     * Values under an {@code opaque} path (a payload whose content is the function's) count as one value.
     */
    public static Map<String, String> shape(JsonNode event, String... opaque) {
        Map<String, String> shape = new TreeMap<>();
        collect(event, "", Set.of(opaque), shape);
        return shape;
    }

    private static void collect(JsonNode node, String path, Set<String> opaque, Map<String, String> shape) {
        if (opaque.contains(path)) {
            shape.put(path, "payload");
        } else if (node.isObject()) {
            if (node.isEmpty()) {
                shape.put(path, "object");
            }
            node.fields().forEachRemaining(field -> collect(field.getValue(),
                    path.isEmpty() ? field.getKey() : path + "." + field.getKey(), opaque, shape));
        } else if (node.isArray()) {
            shape.put(path, "array");
            node.forEach(element -> collect(element, path + "[]", opaque, shape));
        } else {
            shape.put(path, node.getNodeType().name().toLowerCase());
        }
    }
}
