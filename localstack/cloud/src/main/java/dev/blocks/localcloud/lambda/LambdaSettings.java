package dev.blocks.localcloud.lambda;

import dev.blocks.localcloud.junit.Endpoints;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the local Lambda service runs functions.
 *
 * @param endpoints          where the function's AWS SDK, Redis and Kafka clients are pointed, and the region and
 *                           credentials they use (null services are simply not configured)
 * @param accountId          the account in function ARNs
 * @param workDir            where deployment zips are unpacked
 * @param logDir             where each function's output goes, one file per function
 * @param owner              tags every function process (see {@code ChildProcess.OWNER_ENV})
 * @param defaultConcurrency the instance cap of a function without reserved concurrency
 * @param initTimeout        how long an instance may take to reach its first {@code /next} before it is killed
 */
public record LambdaSettings(
        Endpoints endpoints,
        String accountId,
        Path workDir,
        Path logDir,
        String owner,
        int defaultConcurrency,
        Duration initTimeout) {

    public static final String ACCOUNT_ID = "000000000000";
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final Duration DEFAULT_INIT_TIMEOUT = Duration.ofSeconds(120);

    public String functionArn(String functionName) {
        return "arn:aws:lambda:" + endpoints.region() + ":" + accountId + ":function:" + functionName;
    }
}
