package dev.blocks.localcloud.lambda;

import dev.blocks.localcloud.junit.Endpoints;
import java.nio.file.Path;

/**
 * How the local Lambda service runs functions.
 *
 * @param endpoints          where the function's AWS SDK, Redis and Kafka clients are pointed, and the region and
 *                           credentials they use (null services are simply not configured)
 * @param accountId          the account in function ARNs
 * @param workDir            where deployment zips are unpacked
 * @param logDir             where each function's output goes, one file per function
 * @param owner              tags every function process (see {@code ChildProcess.OWNER_ENV})
 * @param execution          freeze, on-demand instances, timeouts and concurrency limits (see {@link ExecutionModel})
 */
public record LambdaSettings(
        Endpoints endpoints,
        String accountId,
        Path workDir,
        Path logDir,
        String owner,
        ExecutionModel execution) {

    public static final String ACCOUNT_ID = "000000000000";

    public String functionArn(String functionName) {
        return "arn:aws:lambda:" + endpoints.region() + ":" + accountId + ":function:" + functionName;
    }
}
