package dev.blocks.localcloud.plan;

/** One thing wrong with how a plan wires resources; {@link PlanReader} collects them into one report. */
final class WiringProblem extends RuntimeException {

    WiringProblem(String message) {
        super(message, null, false, false);
    }

    static WiringProblem unknown(PlannedResource resource, String attribute) {
        return new WiringProblem(resource.address() + ": " + attribute + " is only known after apply, but the local"
                + " cloud reads the plan. Build it from names known at plan time (names from variables and locals;"
                + " ARNs as \"arn:${partition}:<service>:${region}:${account_id}:<name>\"); see"
                + " infra/terraform/README.md.");
    }
}
