package dev.blocks.kit.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How often a function writes its metrics line. */
@ConfigMapping(prefix = "blocks.metrics")
public interface MetricsConfig {

    /**
     * Shortest time between two metrics lines ({@code BLOCKS_METRICS_INTERVAL}); what is counted in between is
     * summed into the next line. Short enough that an alarm sees a burst within its period, long enough that a busy
     * function does not write a line per request.
     */
    @WithDefault("PT10S")
    Duration interval();
}
