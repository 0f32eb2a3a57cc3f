package dev.blocks.localcloud.junit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/** Disables a test class when the configured cloud mode cannot run here; see {@link RequiresLocalCloud}. */
final class LocalCloudCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try {
            return ConditionEvaluationResult.enabled(
                    "local cloud: " + CloudMode.configured().resolve(DockerEngine::answers).label());
        } catch (TestAbortedException cannotRunHere) {
            return ConditionEvaluationResult.disabled(cannotRunHere.getMessage());
        }
    }
}
