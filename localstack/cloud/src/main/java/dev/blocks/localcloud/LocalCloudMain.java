package dev.blocks.localcloud;

import dev.blocks.localcloud.emulators.Emulators;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.lambda.AsyncRetryDelays;
import dev.blocks.localcloud.lambda.ExecutionModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar local-cloud.jar [options]}: runs the local cloud until SIGTERM or Ctrl-C (or, in child mode,
 * until its parent goes away), then stops everything it started.
 */
public final class LocalCloudMain {

    private static final String USAGE = """
            usage: java -jar local-cloud.jar [options]
              --terraform-dir DIR     run the local target of this Terraform configuration
              --plan-json FILE        or run the plan in this `terraform show -json` document
              --var NAME=VALUE        an extra Terraform variable (repeatable)
              --port N                the HTTP API gateway's port (default 8080, 0 = a free port)
              --endpoints-file FILE   write the endpoints as JSON here once ready
              --services LIST         emulated services, comma-separated (default dynamodb,sqs,s3,kafka,redis)
              --external-aws URL      use this endpoint (LocalStack) for DynamoDB, SQS and S3
              --external-redis URI    use this Redis instead of an emulated one
              --external-kafka HOST:PORT  use these Kafka bootstrap servers instead of an emulated broker
              --log-dir DIR           where function and server logs go (default: a new temporary directory)
              --exit-on-stdin-eof     stop everything and exit when standard input closes (child mode)
              --lenient               start even if the plan holds what the local cloud does not emulate or AWS
                                      would refuse (each is logged as a warning instead)
            Lambda's execution model (AWS's by default):
              --no-freeze             let function processes run between invocations (debugging only: work a
                                      function does after its response is lost on AWS)
              --prewarm               keep each function's first instance warm instead of a cold first invocation
              --idle-timeout SECONDS  reclaim an instance idle this long (default 300)
              --init-timeout SECONDS  the most a function's init may take (default 10, AWS's limit)
              --account-concurrency N invocations in flight across functions before throttling (default 1000)
              --instance-cap N        the most instances of one function this machine runs (default 4; more
                                      invocations wait for one)
              --async-retry-delays S,S  seconds between attempts of a failed asynchronous invocation (default
                                      60,120 as on AWS)
            """;

    private static final Set<String> OPTIONS_WITH_VALUES = Set.of("--terraform-dir", "--plan-json", "--var",
            "--port", "--endpoints-file", "--services", "--external-aws", "--external-redis", "--external-kafka",
            "--log-dir", "--idle-timeout", "--init-timeout", "--account-concurrency", "--instance-cap",
            "--async-retry-delays");

    private LocalCloudMain() {
    }

    public static void main(String[] args) {
        Invocation invocation;
        try {
            invocation = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("local-cloud: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (invocation.help()) {
            System.out.print(USAGE);
            return;
        }
        LocalCloud cloud;
        try {
            cloud = LocalCloud.start(invocation.options());
        } catch (Exception e) {
            System.err.println("local-cloud: cannot start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(cloud::close, "local-cloud-shutdown"));
        describe(cloud, System.out);
        if (invocation.exitOnStdinEof()) {
            watchStdin(System.in);
        }
        try {
            // Runs until the JVM exits: SIGTERM, Ctrl-C or the end of stdin; the shutdown hook stops the cloud.
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The parsed command line. */
    record Invocation(LocalCloudOptions options, boolean exitOnStdinEof, boolean help) {}

    static Invocation parse(String[] args) {
        Path terraformDir = null;
        Path planJson = null;
        Map<String, String> variables = new LinkedHashMap<>();
        int port = LocalCloudOptions.DEFAULT_GATEWAY_PORT;
        Path endpointsFile = null;
        Set<String> services = Emulators.ALL;
        String externalAws = null;
        String externalRedis = null;
        String externalKafka = null;
        Path logDir = null;
        boolean exitOnStdinEof = false;
        boolean lenient = false;
        ExecutionModel execution = ExecutionModel.aws();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                // --name=value; for --var=NAME=VALUE the first '=' splits.
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            switch (arg) {
                case "-h", "--help" -> {
                    return new Invocation(null, false, true);
                }
                case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
                case "--lenient" -> lenient = true;
                case "--no-freeze" -> execution = execution.withFreeze(false);
                case "--prewarm" -> execution = execution.withPrewarm(true);
                default -> {
                    if (!OPTIONS_WITH_VALUES.contains(arg)) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (arg) {
                        case "--terraform-dir" -> terraformDir = Path.of(value);
                        case "--plan-json" -> planJson = Path.of(value);
                        case "--var" -> {
                            int split = value.indexOf('=');
                            if (split <= 0) {
                                throw new IllegalArgumentException("--var takes NAME=VALUE, not " + value);
                            }
                            variables.put(value.substring(0, split), value.substring(split + 1));
                        }
                        case "--port" -> port = port(value);
                        case "--endpoints-file" -> endpointsFile = Path.of(value);
                        case "--services" -> services = services(value);
                        case "--external-aws" -> externalAws = value;
                        case "--external-redis" -> externalRedis = value;
                        case "--external-kafka" -> externalKafka = value;
                        case "--log-dir" -> logDir = Path.of(value);
                        case "--idle-timeout" -> execution = execution.withIdleTimeout(
                                java.time.Duration.ofSeconds(positive(arg, value)));
                        case "--init-timeout" -> execution = execution.withInitTimeout(
                                java.time.Duration.ofSeconds(positive(arg, value)));
                        case "--account-concurrency" -> execution = execution.withAccountConcurrency(positive(arg, value));
                        case "--instance-cap" -> execution = execution.withInstanceCap(positive(arg, value));
                        case "--async-retry-delays" -> execution = execution.withAsyncRetries(asyncRetries(value));
                        default -> throw new IllegalStateException("option " + arg + " is listed but not handled");
                    }
                }
            }
        }
        return new Invocation(new LocalCloudOptions(terraformDir, planJson, variables, port, endpointsFile, services,
                externalAws, externalRedis, externalKafka, logDir, execution, lenient), exitOnStdinEof, false);
    }

    private static AsyncRetryDelays asyncRetries(String value) {
        List<java.time.Duration> delays = new java.util.ArrayList<>();
        for (String seconds : value.split(",")) {
            try {
                delays.add(java.time.Duration.ofSeconds(Long.parseLong(seconds.trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--async-retry-delays takes seconds separated by commas, not "
                        + value);
            }
        }
        try {
            return new AsyncRetryDelays(delays, AsyncRetryDelays.AWS.firstAfterThrottle(),
                    AsyncRetryDelays.AWS.maxAfterThrottle());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--async-retry-delays: " + e.getMessage());
        }
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, not " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not " + value);
        }
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be 0..65535, not " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port takes a number, not " + value);
        }
    }

    private static Set<String> services(String value) {
        Set<String> services = new LinkedHashSet<>();
        Arrays.stream(value.split(","))
                .map(service -> service.trim().toLowerCase(Locale.ROOT))
                .filter(service -> !service.isEmpty())
                .forEach(services::add);
        return services;
    }

    static void describe(LocalCloud cloud, PrintStream out) {
        for (String route : cloud.routes()) {
            out.println(route);
        }
        Endpoints endpoints = cloud.endpoints();
        List<String[]> lines = List.of(
                new String[] {"gateway", endpoints.gateway()},
                new String[] {"lambda", endpoints.lambda()},
                new String[] {"admin", endpoints.admin()},
                new String[] {"dynamodb", endpoints.dynamodb()},
                new String[] {"sqs", endpoints.sqs()},
                new String[] {"s3", endpoints.s3()},
                new String[] {"kafka", endpoints.kafka()},
                new String[] {"redis", endpoints.redis()});
        for (String[] line : lines) {
            if (line[1] != null) {
                out.printf("%-9s %s%n", line[0], line[1]);
            }
        }
        out.printf("logs      %s%n", cloud.logDir());
        out.printf("local cloud ready in %.1f s%n", cloud.startupTime().toMillis() / 1000.0);
        out.flush();
    }

    /** Child mode: the parent holds our stdin; when it dies the pipe closes and the cloud goes with it. */
    private static void watchStdin(InputStream in) {
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() != -1) {
                    // input is ignored; only its end matters
                }
            } catch (IOException ignored) {
                // a broken pipe is an end too
            }
            System.exit(0);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
