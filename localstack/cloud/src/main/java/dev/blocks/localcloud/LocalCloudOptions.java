package dev.blocks.localcloud;

import dev.blocks.localcloud.emulators.Emulators;
import dev.blocks.localcloud.lambda.ExecutionModel;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a local cloud runs.
 *
 * @param terraformDir   a Terraform configuration whose {@code local} target is planned and run; null for none
 * @param planJson       or an existing {@code terraform show -json} document of such a plan; null for none
 * @param variables      extra Terraform variables
 * @param gatewayPort    the HTTP API's port on 127.0.0.1 (0 picks a free one)
 * @param endpointsFile  where the Endpoints JSON is written once the cloud is ready; null for nowhere
 * @param services       the emulated services to run (dynamodb, sqs, s3, kafka, redis)
 * @param externalAws    LocalStack (or another endpoint) serving DynamoDB, SQS and S3 instead of emulators
 * @param externalRedis  a Redis URI used instead of an emulated Redis
 * @param externalKafka  Kafka bootstrap servers used instead of an emulated broker
 * @param logDir         where function and server output goes; null for a new temporary directory
 * @param execution      how functions run: frozen between invocations, on demand, throttled (AWS's model by default)
 * @param lenient        run a plan with what the local cloud does not emulate or AWS would refuse, logging warnings,
 *                       instead of refusing to start
 */
public record LocalCloudOptions(
        Path terraformDir,
        Path planJson,
        Map<String, String> variables,
        int gatewayPort,
        Path endpointsFile,
        Set<String> services,
        String externalAws,
        String externalRedis,
        String externalKafka,
        Path logDir,
        ExecutionModel execution,
        boolean lenient) {

    public static final int DEFAULT_GATEWAY_PORT = 8080;

    public LocalCloudOptions {
        if (terraformDir != null && planJson != null) {
            throw new IllegalArgumentException("give a Terraform directory or a plan JSON file, not both");
        }
        variables = Map.copyOf(variables);
        services = Set.copyOf(services);
        for (String service : services) {
            if (!Emulators.ALL.contains(service)) {
                throw new IllegalArgumentException("unknown service " + service + "; known: " + Emulators.ALL);
            }
        }
    }

    /** Every service emulated, the gateway on a free port, nothing written: the shape tests start from. */
    public static LocalCloudOptions defaults() {
        return new LocalCloudOptions(null, null, Map.of(), 0, null, Emulators.ALL, null, null, null, null,
                ExecutionModel.aws(), false);
    }

    public LocalCloudOptions withTerraformDir(Path dir, Map<String, String> vars) {
        return new LocalCloudOptions(dir, null, vars, gatewayPort, endpointsFile, services, externalAws,
                externalRedis, externalKafka, logDir, execution, lenient);
    }

    public LocalCloudOptions withServices(Set<String> names) {
        return new LocalCloudOptions(terraformDir, planJson, variables, gatewayPort, endpointsFile,
                new LinkedHashSet<>(names), externalAws, externalRedis, externalKafka, logDir, execution, lenient);
    }

    public LocalCloudOptions withGatewayPort(int port) {
        return new LocalCloudOptions(terraformDir, planJson, variables, port, endpointsFile, services, externalAws,
                externalRedis, externalKafka, logDir, execution, lenient);
    }

    public LocalCloudOptions withEndpointsFile(Path file) {
        return new LocalCloudOptions(terraformDir, planJson, variables, gatewayPort, file, services, externalAws,
                externalRedis, externalKafka, logDir, execution, lenient);
    }

    public LocalCloudOptions withLogDir(Path dir) {
        return new LocalCloudOptions(terraformDir, planJson, variables, gatewayPort, endpointsFile, services,
                externalAws, externalRedis, externalKafka, dir, execution, lenient);
    }

    public LocalCloudOptions withExecution(ExecutionModel model) {
        return new LocalCloudOptions(terraformDir, planJson, variables, gatewayPort, endpointsFile, services,
                externalAws, externalRedis, externalKafka, logDir, model, lenient);
    }

    public LocalCloudOptions withLenient(boolean lenientPlan) {
        return new LocalCloudOptions(terraformDir, planJson, variables, gatewayPort, endpointsFile, services,
                externalAws, externalRedis, externalKafka, logDir, execution, lenientPlan);
    }

    /** The services this cloud emulates itself: those asked for that no external endpoint replaces. */
    Set<String> emulated() {
        Set<String> emulated = new LinkedHashSet<>();
        for (String service : Emulators.ALL) {
            if (services.contains(service) && external(service) == null) {
                emulated.add(service);
            }
        }
        return emulated;
    }

    /** The external endpoint replacing {@code service}, or null. */
    String external(String service) {
        return switch (service) {
            case Emulators.DYNAMODB, Emulators.SQS, Emulators.S3 -> externalAws;
            case Emulators.REDIS -> externalRedis;
            case Emulators.KAFKA -> externalKafka;
            default -> null;
        };
    }
}
