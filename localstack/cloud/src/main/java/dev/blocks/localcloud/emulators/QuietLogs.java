package dev.blocks.localcloud.emulators;

import java.util.List;

/**
 * Turns the embedded servers' chatter down to WARN when slf4j-simple is the logger (the stand-alone local cloud
 * and its tests). slf4j-simple reads a logger's level from system properties when the logger is created, so this
 * must run before the servers' classes load; a level the user set already wins. Inside Quarkus the application's
 * logging configuration governs instead. DynamoDB Local logs through Log4j 2, whose default is ERROR already.
 */
final class QuietLogs {

    private static final List<String> NOISY = List.of(
            "org.apache.kafka", "kafka", "state.change.logger", "org.elasticmq", "org.apache.pekko", "org.gaul",
            "org.eclipse.jetty", "org.apache.commons");

    private QuietLogs() {}

    static void apply() {
        for (String logger : NOISY) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        // ElasticMQ's Pekko actor system reads its level from Typesafe config, which honours system properties.
        if (System.getProperty("pekko.loglevel") == null) {
            System.setProperty("pekko.loglevel", "WARNING");
        }
    }
}
