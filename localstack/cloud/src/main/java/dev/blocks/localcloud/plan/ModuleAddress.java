package dev.blocks.localcloud.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The module instance a resource lives in, e.g. {@code module.uploads.module.api["v1"]}: one step per module call,
 * with the instance key when the call has {@code count} or {@code for_each}. The root module has no steps.
 */
record ModuleAddress(List<Traversal.Step> calls) {

    static final ModuleAddress ROOT = new ModuleAddress(List.of());

    static ModuleAddress parse(String address) {
        if (address == null || address.isEmpty()) {
            return ROOT;
        }
        List<Traversal.Step> steps = Traversal.parse(address).steps();
        List<Traversal.Step> calls = new ArrayList<>();
        for (int i = 0; i < steps.size(); i += 2) {
            if (!steps.get(i).name().equals("module") || i + 1 == steps.size()) {
                throw new IllegalArgumentException("not a module address: " + address);
            }
            calls.add(steps.get(i + 1));
        }
        return new ModuleAddress(List.copyOf(calls));
    }

    ModuleAddress child(String call, JsonNode key) {
        List<Traversal.Step> longer = new ArrayList<>(calls);
        longer.add(new Traversal.Step(call, key));
        return new ModuleAddress(List.copyOf(longer));
    }

    boolean isRoot() {
        return calls.isEmpty();
    }

    ModuleAddress parent() {
        return new ModuleAddress(calls.subList(0, calls.size() - 1));
    }

    Traversal.Step last() {
        return calls.get(calls.size() - 1);
    }

    @Override
    public String toString() {
        if (calls.isEmpty()) {
            return "the root module";
        }
        StringBuilder text = new StringBuilder();
        for (Traversal.Step call : calls) {
            text.append(text.isEmpty() ? "" : ".").append("module.").append(call.name());
            if (call.key() != null) {
                text.append('[').append(call.key()).append(']');
            }
        }
        return text.toString();
    }
}
