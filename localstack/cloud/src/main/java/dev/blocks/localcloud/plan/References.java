package dev.blocks.localcloud.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows an attribute's expression references in the plan's configuration to the resource instance it names,
 * for links the planned values cannot show because the connecting attribute is computed at apply time (a route's
 * {@code target = "integrations/${aws_apigatewayv2_integration.x.id}"}).
 *
 * <p>References are resolved in the module instance of the resource that makes them. They pass through module
 * outputs ({@code module.fn.arn}) and input variables ({@code var.function_arn}), not through locals, which the
 * plan's configuration does not describe. An instance is chosen by a literal index ({@code x[0]},
 * {@code x["a"]}), or, for {@code x[count.index]} and {@code x[each.key]}, by the referring resource's own index.
 */
final class References {

    private static final Set<String> NOT_RESOURCES = Set.of("count", "each", "path", "terraform", "self", "local", "data");

    private final Plan plan;

    References(Plan plan) {
        this.plan = plan;
    }

    /**
     * The resource of one of {@code types} that the expression at {@code path} of {@code from} references.
     * Empty when it references none; a problem when it references several.
     */
    Optional<PlannedResource> target(PlannedResource from, Set<String> types, Object... path) {
        JsonNode expression = plan.configuredResource(from.module(), from.type(), from.name()).path("expressions");
        for (Object step : path) {
            expression = step instanceof Integer position ? expression.path(position) : expression.path((String) step);
        }
        String attribute = PlannedResource.describe(path);
        Set<PlannedResource> found = resolve(from.module(), from.index(), expression.path("references"), types,
                from.address() + ": " + attribute);
        if (found.size() > 1) {
            throw new WiringProblem(from.address() + ": " + attribute + " references several resources ("
                    + String.join(", ", found.stream().map(PlannedResource::address).toList())
                    + "); the local cloud cannot tell which one is meant");
        }
        return found.stream().findFirst();
    }

    private Set<PlannedResource> resolve(ModuleAddress scope, JsonNode ownIndex, JsonNode references,
                                         Set<String> types, String context) {
        boolean followsOwnIndex = false;
        Map<String, Traversal> mostSpecific = new LinkedHashMap<>();
        for (JsonNode reference : references) {
            String text = reference.asText();
            if (text.equals("count.index") || text.startsWith("each.")) {
                followsOwnIndex = true;
            }
            Traversal traversal = Traversal.parse(text);
            if (traversal.size() < 2 || NOT_RESOURCES.contains(traversal.name(0))) {
                continue;
            }
            // "aws_x.y[0].id", "aws_x.y[0]" and "aws_x.y" all name aws_x.y: keep the longest, which holds the index.
            String root = traversal.name(0) + "." + traversal.name(1);
            Traversal known = mostSpecific.get(root);
            if (known == null || known.size() < traversal.size()
                    || (known.steps().get(1).key() == null && traversal.steps().get(1).key() != null)) {
                mostSpecific.put(root, traversal);
            }
        }
        Set<PlannedResource> found = new LinkedHashSet<>();
        for (Traversal traversal : mostSpecific.values()) {
            Traversal.Step named = traversal.steps().get(1);
            switch (traversal.name(0)) {
                case "module" -> {
                    String output = traversal.name(2);
                    if (output == null) {
                        continue;
                    }
                    for (ModuleAddress child : instances(plan.moduleInstances(scope, named.name()), named.key(),
                            ownIndex, followsOwnIndex, context, "module." + named.name(), ModuleAddress::last)) {
                        JsonNode outputReferences = plan.configuredOutput(child, output).path("expression").path("references");
                        found.addAll(resolve(child, null, outputReferences, types, context));
                    }
                }
                case "var" -> {
                    if (scope.isRoot()) {
                        continue;
                    }
                    JsonNode callReferences = plan.moduleCall(scope.parent(), scope.last().name())
                            .path("expressions").path(named.name()).path("references");
                    found.addAll(resolve(scope.parent(), scope.last().key(), callReferences, types, context));
                }
                default -> {
                    String type = traversal.name(0);
                    if (!types.contains(type)) {
                        continue;
                    }
                    found.addAll(instances(plan.instances(scope, type, named.name()), named.key(), ownIndex,
                            followsOwnIndex, context, type + "." + named.name(),
                            r -> new Traversal.Step(r.name(), r.index())));
                }
            }
        }
        return found;
    }

    private interface KeyOf<T> {
        Traversal.Step of(T instance);
    }

    private static <T> List<T> instances(List<T> all, JsonNode literalKey, JsonNode ownIndex, boolean followsOwnIndex,
                                         String context, String what, KeyOf<T> keyOf) {
        if (all.isEmpty()) {
            return all;
        }
        List<T> chosen = new ArrayList<>();
        if (literalKey != null) {
            all.stream().filter(i -> literalKey.equals(keyOf.of(i).key())).forEach(chosen::add);
            return chosen;
        }
        if (all.size() == 1) {
            return all;
        }
        if (followsOwnIndex && ownIndex != null) {
            all.stream().filter(i -> ownIndex.equals(keyOf.of(i).key())).forEach(chosen::add);
            if (!chosen.isEmpty()) {
                return chosen;
            }
        }
        throw new WiringProblem(context + " references " + what + ", which has " + all.size()
                + " instances, by an index only apply can evaluate (such as each.value): the plan does not say which"
                + " instance is meant. Use a literal index, or give both resources the same for_each (or count) and"
                + " index with each.key (or count.index); for routes: one integration per route, e.g. integration"
                + " for_each = local.routes, integration_uri = module.function[each.value].invoke_arn, route target"
                + " = \"integrations/${aws_apigatewayv2_integration.route[each.key].id}\"");
    }
}
