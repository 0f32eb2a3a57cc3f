package dev.blocks.localcloud.lambda;

import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.spec.FunctionSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment Lambda gives a function process, plus what points its clients at the local cloud: endpoint
 * overrides for the AWS SDK (plain and Quarkus configuration) and the {@code local-cloud://} placeholders a
 * Terraform local target writes where a real deployment has Redis, Kafka or API Gateway addresses.
 */
final class FunctionEnvironment {

    static final String REDIS_PLACEHOLDER = "local-cloud://redis";
    static final String KAFKA_PLACEHOLDER = "local-cloud://kafka";
    static final String GATEWAY_PLACEHOLDER = "local-cloud://gateway";

    private final FunctionSpec spec;
    private final LambdaSettings settings;
    private final Path taskRoot;

    FunctionEnvironment(FunctionSpec spec, LambdaSettings settings, Path taskRoot) {
        this.spec = spec;
        this.settings = settings;
        this.taskRoot = taskRoot;
    }

    Map<String, String> forRuntimeApi(String runtimeApiAddress, String logStream) {
        Endpoints endpoints = settings.endpoints();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApiAddress);
        env.put("AWS_REGION", endpoints.region());
        env.put("AWS_DEFAULT_REGION", endpoints.region());
        env.put("AWS_ACCESS_KEY_ID", endpoints.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", endpoints.secretAccessKey());
        if (spec.runtime() != null) {
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime());
        }
        env.put("_HANDLER", spec.handler() == null ? "" : spec.handler());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        putEndpoint(env, "DYNAMODB", endpoints.dynamodb());
        putEndpoint(env, "SQS", endpoints.sqs());
        putEndpoint(env, "S3", endpoints.s3());
        if (endpoints.s3() != null) {
            // S3Proxy and LocalStack serve buckets by path, not by virtual host names.
            env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
            env.put("BLOCKS_S3_PATH_STYLE", "true");
        }
        if (endpoints.lambda() != null) {
            env.put("AWS_ENDPOINT_URL_LAMBDA", endpoints.lambda());
        }
        if (spec.environment() != null) {
            spec.environment().forEach((name, value) -> env.put(name, substitute(value)));
        }
        return env;
    }

    private static void putEndpoint(Map<String, String> env, String service, String url) {
        if (url != null) {
            env.put("AWS_ENDPOINT_URL_" + service, url);
            env.put("QUARKUS_" + service + "_ENDPOINT_OVERRIDE", url);
        }
    }

    String substitute(String value) {
        if (value == null) {
            return "";
        }
        Endpoints endpoints = settings.endpoints();
        String result = value;
        result = replace(result, REDIS_PLACEHOLDER, endpoints.redis());
        result = replace(result, KAFKA_PLACEHOLDER, endpoints.kafka());
        result = replace(result, GATEWAY_PLACEHOLDER, endpoints.gateway());
        return result;
    }

    private static String replace(String value, String token, String replacement) {
        return replacement == null ? value : value.replace(token, replacement);
    }
}
