package dev.blocks.kit.metrics;

import dev.blocks.kit.config.FunctionConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link Metrics} of a function: namespace = the deployment's prefix, dimension = the function's role. */
@Singleton
class MetricsWiring {

    @Produces
    @Singleton
    Metrics metrics(FunctionConfig function, MetricsConfig config) {
        return new Metrics(function.prefix(), function.function(), config.interval(), System.out);
    }

    /** What was counted since the last line would be lost with the environment: written when it shuts down. */
    void flushAtShutdown(@Observes ShutdownEvent stopping, Metrics metrics) {
        metrics.flush();
    }
}
