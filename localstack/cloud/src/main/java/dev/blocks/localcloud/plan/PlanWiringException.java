package dev.blocks.localcloud.plan;

import java.util.List;

/**
 * The plan cannot be turned into a local cloud: a value the local cloud needs is unknown at plan time, or a
 * resource points at something the plan does not define. Lists every problem found, one per line.
 */
public final class PlanWiringException extends RuntimeException {

    private final List<String> problems;

    PlanWiringException(List<String> problems) {
        super("The Terraform plan cannot be wired into the local cloud:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
