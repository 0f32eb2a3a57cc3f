package dev.blocks.localcloud.events;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One SQS emulator for every test class of this package that asks for a {@link LocalSqs} parameter; the root
 * store closes it when the test run ends. Tests keep apart by using queues of their own.
 */
final class SharedSqs implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSqs.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalSqs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent("sqs", key -> {
            try {
                return LocalSqs.start();
            } catch (Exception e) {
                throw new IllegalStateException("the SQS emulator did not start", e);
            }
        }, LocalSqs.class);
    }
}
