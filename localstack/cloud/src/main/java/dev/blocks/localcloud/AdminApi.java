package dev.blocks.localcloud;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.emulators.Emulator;
import dev.blocks.localcloud.emulators.RedisEmulator;
import dev.blocks.localcloud.http.Exchange;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.lambda.FunctionStatus;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local cloud's own control API, for fault tests and tooling: stop, start or kill a service, kill a
 * function's instances, fire a schedule now, list the functions with their instances' process ids and log files, count the DynamoDB requests made so far
 * ({@code GET /requests/dynamodb}: table → operation → count, from the {@code DynamoDbFront}), empty every table,
 * queue, bucket, Redis and Kafka topic ({@code POST /reset}, see {@link CloudReset}), and deploy a function's
 * rebuilt artifact without a restart ({@code POST /functions/{name}/redeploy}). {@code LocalCloudCli} is its
 * command-line client.
 */
final class AdminApi {

    private static final long FIRE_TIMEOUT_MINUTES = 15;

    private final LocalCloud cloud;

    private AdminApi(LocalCloud cloud) {
        this.cloud = cloud;
    }

    static void serve(LoopbackServer server, LocalCloud cloud) {
        server.handle("/", new AdminApi(cloud)::handle);
    }

    private void handle(Exchange exchange) throws Exception {
        String method = exchange.method();
        String[] path = exchange.uri().getPath().replaceAll("^/+|/+$", "").split("/");
        if (method.equals("GET") && path.length == 1 && path[0].equals("healthz")) {
            exchange.replyJson(200, json().put("status", "UP")
                    .put("functionsInitialised", cloud.lambda().initialised()));
        } else if (method.equals("GET") && path.length == 2 && path[0].equals("requests") && path[1].equals("dynamodb")) {
            exchange.replyJson(200, cloud.dynamoDbRequests());
        } else if (method.equals("GET") && path.length == 1 && path[0].equals("functions")) {
            functions(exchange);
        } else if (method.equals("POST") && path.length == 3 && path[0].equals("services")) {
            service(exchange, path[1], path[2]);
        } else if (method.equals("POST") && path.length == 3 && path[0].equals("functions") && path[2].equals("kill")) {
            killFunction(exchange, path[1]);
        } else if (method.equals("POST") && path.length == 3 && path[0].equals("functions") && path[2].equals("redeploy")) {
            redeploy(exchange, path[1]);
        } else if (method.equals("POST") && path.length == 1 && path[0].equals("reset")) {
            reset(exchange);
        } else if (method.equals("POST") && path.length == 3 && path[0].equals("schedules") && path[2].equals("fire")) {
            fireSchedule(exchange, path[1]);
        } else {
            exchange.replyJson(404, json().put("message", "no such admin operation: " + method + " "
                    + exchange.uri().getPath()));
        }
    }

    private void functions(Exchange exchange) throws IOException {
        var list = JsonNodeFactory.instance.arrayNode();
        for (FunctionStatus status : cloud.lambda().status()) {
            ObjectNode function = json().put("name", status.name()).put("instances", status.instances())
                    .put("busy", status.busy()).put("initialised", status.initialised())
                    .put("lastInitError", status.lastInitError())
                    .put("log", cloud.logDir().resolve(status.name() + ".log").toAbsolutePath().toString());
            status.processIds().forEach(function.putArray("processIds")::add);
            list.add(function);
        }
        exchange.replyJson(200, list);
    }

    private void service(Exchange exchange, String name, String action) throws Exception {
        Optional<Emulator> found = cloud.service(name);
        if (found.isEmpty()) {
            exchange.replyJson(404, json().put("message", "service " + name + " is not emulated by this cloud"));
            return;
        }
        Emulator emulator = found.get();
        switch (action) {
            case "stop" -> emulator.stop();
            case "start" -> cloud.startService(emulator);
            case "kill" -> {
                // A crash where the server is a process of its own; the in-JVM servers can only be stopped.
                if (emulator instanceof RedisEmulator redis) {
                    redis.kill();
                } else {
                    emulator.stop();
                }
            }
            case "freeze", "thaw" -> {
                // Only a server that is a process of its own can be suspended; the in-JVM ones share this process.
                if (!(emulator instanceof RedisEmulator redis)) {
                    exchange.replyJson(409, json().put("message", name + " runs inside the cloud's JVM and cannot be "
                            + action + "d; stop and start it instead"));
                    return;
                }
                if (action.equals("freeze")) {
                    redis.freeze();
                } else {
                    redis.thaw();
                }
            }
            default -> {
                exchange.replyJson(404, json().put("message",
                        "services take stop, start, kill, freeze or thaw, not " + action));
                return;
            }
        }
        exchange.replyJson(200, json().put("service", name).put("running", emulator.running()));
    }

    private void killFunction(Exchange exchange, String name) throws IOException {
        if (!cloud.lambda().has(name)) {
            exchange.replyJson(404, json().put("message", "no function " + name));
            return;
        }
        exchange.replyJson(200, json().put("function", name).put("killed", cloud.lambda().kill(name)));
    }

    private void redeploy(Exchange exchange, String name) throws IOException {
        if (!cloud.lambda().has(name)) {
            exchange.replyJson(404, json().put("message", "no function " + name));
            return;
        }
        try {
            int retired = cloud.lambda().redeploy(name);
            var artifact = cloud.lambda().functions().stream().filter(f -> f.name().equals(name)).findFirst()
                    .orElseThrow().artifact();
            exchange.replyJson(200, json().put("function", name).put("artifact", String.valueOf(artifact))
                    .put("retired", retired));
        } catch (IOException | RuntimeException e) {
            // A missing or broken zip, a handler that no longer resolves: nothing was swapped.
            exchange.replyJson(409, json().put("function", name).put("message", String.valueOf(e.getMessage())));
        }
    }

    private void reset(Exchange exchange) throws IOException {
        try {
            exchange.replyJson(200, new CloudReset(cloud).run());
        } catch (Exception e) {
            exchange.replyJson(502, json().put("message", "reset failed part way: " + e));
        }
    }

    private void fireSchedule(Exchange exchange, String name) throws Exception {
        var fired = cloud.fireSchedule(name);
        if (fired.isEmpty()) {
            exchange.replyJson(404, json().put("message", "no enabled schedule " + name));
            return;
        }
        try {
            fired.get().get(FIRE_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            exchange.replyJson(200, json().put("schedule", name).put("fired", true));
        } catch (ExecutionException e) {
            exchange.replyJson(502, json().put("schedule", name).put("fired", true)
                    .put("error", String.valueOf(e.getCause().getMessage())));
        } catch (TimeoutException e) {
            exchange.replyJson(504, json().put("schedule", name).put("fired", true).put("error", "still running"));
        }
    }

    private static ObjectNode json() {
        return JsonNodeFactory.instance.objectNode();
    }
}
