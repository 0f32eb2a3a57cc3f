package dev.blocks.localcloud.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;

/**
 * The parts of {@code terraform show -json} the local cloud reads: the planned managed resources of every module
 * instance with their unknown markers, the root outputs, and the configuration, whose expression references are
 * the only link between resources whose connecting attribute (an id, an ARN) is computed at apply time.
 */
final class Plan {

    private final List<PlannedResource> resources = new ArrayList<>();
    private final List<ModuleAddress> modules = new ArrayList<>();
    private final JsonNode configuration;
    private final JsonNode outputs;
    private final Optional<String> region;

    private Plan(JsonNode root) {
        Map<String, JsonNode> unknownByAddress = new HashMap<>();
        for (JsonNode change : root.path("resource_changes")) {
            unknownByAddress.put(change.path("address").asText(), change.path("change").path("after_unknown"));
        }
        collect(root.path("planned_values").path("root_module"), ModuleAddress.ROOT, unknownByAddress);
        this.configuration = root.path("configuration").path("root_module");
        this.outputs = root.path("planned_values").path("outputs");
        this.region = providerRegion(root);
    }

    /**
     * The root AWS provider's region: a constant, or the variable it names (the usual {@code region = var.region}).
     * Empty when the plan does not say.
     */
    private static Optional<String> providerRegion(JsonNode root) {
        JsonNode expression = root.path("configuration").path("provider_config").path("aws").path("expressions")
                .path("region");
        if (expression.path("constant_value").isTextual()) {
            return Optional.of(expression.path("constant_value").asText());
        }
        for (JsonNode reference : expression.path("references")) {
            String name = reference.asText();
            if (name.startsWith("var.")) {
                JsonNode value = root.path("variables").path(name.substring(4)).path("value");
                if (value.isTextual()) {
                    return Optional.of(value.asText());
                }
            }
        }
        return Optional.empty();
    }

    Optional<String> region() {
        return region;
    }

    static Plan parse(String json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            if (!root.has("planned_values")) {
                throw new IllegalArgumentException("not the JSON of a Terraform plan (no planned_values)");
            }
            return new Plan(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not the JSON of a Terraform plan: " + e.getOriginalMessage(), e);
        }
    }

    /** Every managed resource instance of the plan, in every module instance. */
    List<PlannedResource> all() {
        return List.copyOf(resources);
    }

    List<PlannedResource> resources(String type) {
        return resources.stream().filter(r -> r.type().equals(type)).toList();
    }

    List<PlannedResource> instances(ModuleAddress module, String type, String name) {
        return resources.stream()
                .filter(r -> r.module().equals(module) && r.type().equals(type) && r.name().equals(name))
                .toList();
    }

    /** The instances of module call {@code call} made from {@code parent} that have resources in the plan. */
    List<ModuleAddress> moduleInstances(ModuleAddress parent, String call) {
        return modules.stream()
                .filter(m -> !m.isRoot() && m.parent().equals(parent) && m.last().name().equals(call))
                .toList();
    }

    /** The configuration block of resource {@code type.name} in the module (call) of {@code module}. */
    JsonNode configuredResource(ModuleAddress module, String type, String name) {
        String address = type + "." + name;
        for (JsonNode resource : configuredModule(module).path("resources")) {
            if (resource.path("address").asText().equals(address)) {
                return resource;
            }
        }
        return MissingNode.getInstance();
    }

    /** Whether the configuration of {@code resource} gives {@code attribute} an expression. */
    boolean configures(PlannedResource resource, String attribute) {
        return configuredResource(resource.module(), resource.type(), resource.name()).path("expressions").has(attribute);
    }

    /** The configuration of module call {@code call} (source, expressions, module) made from {@code parent}. */
    JsonNode moduleCall(ModuleAddress parent, String call) {
        return configuredModule(parent).path("module_calls").path(call);
    }

    JsonNode configuredOutput(ModuleAddress module, String output) {
        return configuredModule(module).path("outputs").path(output);
    }

    /** A root output's planned value; null when the output does not exist or is unknown. */
    JsonNode rootOutput(String name) {
        JsonNode output = outputs.path(name);
        return output.has("value") ? output.get("value") : null;
    }

    private JsonNode configuredModule(ModuleAddress module) {
        JsonNode current = configuration;
        for (Traversal.Step call : module.calls()) {
            current = current.path("module_calls").path(call.name()).path("module");
        }
        return current;
    }

    private void collect(JsonNode module, ModuleAddress address, Map<String, JsonNode> unknownByAddress) {
        modules.add(address);
        for (JsonNode resource : module.path("resources")) {
            if (!resource.path("mode").asText().equals("managed")) {
                continue;
            }
            String resourceAddress = resource.path("address").asText();
            JsonNode index = resource.has("index") ? resource.get("index") : null;
            resources.add(new PlannedResource(resourceAddress, address, resource.path("type").asText(),
                    resource.path("name").asText(), index, resource.path("values"),
                    Objects.requireNonNullElse(unknownByAddress.get(resourceAddress), NullNode.getInstance())));
        }
        for (JsonNode child : module.path("child_modules")) {
            collect(child, ModuleAddress.parse(child.path("address").asText()), unknownByAddress);
        }
    }
}
