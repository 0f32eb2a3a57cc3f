package dev.blocks.localcloud.emulators;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * All five emulators, started in parallel once for the whole test run and stopped when it ends; test classes get
 * them as an {@link Emulators} parameter.
 */
final class SharedEmulators implements ParameterResolver {

    static final Path LOG_DIRECTORY = Path.of("target", "emulator-logs");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedEmulators.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Emulators.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent("emulators", key -> startAll(), Emulators.class);
    }

    private static Emulators startAll() {
        try {
            Emulators emulators = Emulators.startAll(LOG_DIRECTORY);
            System.out.printf("Started all emulators in parallel in %d ms (each: %s)%n",
                    emulators.startupTime().toMillis(), emulators.eachStartupTime());
            return emulators;
        } catch (Exception e) {
            throw new IllegalStateException("The emulators did not start", e);
        }
    }
}
