package dev.blocks.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.Endpoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * {@code local-cloud} commands for a running local cloud (what {@code ./run-local invoke ...} runs): invoke a
 * function, read or follow its logs, send an SQS message or put an S3 object, empty every store, redeploy a rebuilt
 * function. It finds the cloud through the endpoints file the cloud wrote ({@code --endpoints FILE}, else
 * {@code LOCAL_CLOUD_ENDPOINTS}) and talks to its Invoke API, admin API and emulators.
 */
public final class LocalCloudCli {

    static final String USAGE = """
            usage: local-cloud [--endpoints FILE] COMMAND ...
              invoke FUNCTION [PAYLOAD|@FILE|-]        invoke synchronously (payload {} by default); prints the
                                                       response, and the invocation's log to stderr
              logs [-f|--follow] [-n N] [FUNCTION...]  the functions' logs (every function when none is named);
                                                       --follow: the last N (10) lines, then what is written
              send queue NAME BODY|@FILE|-             send an SQS message (FIFO: --group-id ID, --dedup-id ID)
              send object BUCKET KEY FILE|-            put an S3 object (--content-type TYPE); notifications fire
              reset                                    empty every table, queue, bucket, Redis and Kafka topic
                                                       of the plan, keeping them defined
              redeploy FUNCTION...                     run the function's rebuilt artifact from its next invocation
            The endpoints file is the one the cloud wrote (--endpoints-file); ./run-local passes its own.
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);

    private final Endpoints endpoints;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private LocalCloudCli(Endpoints endpoints, PrintStream out, PrintStream err, InputStream in) {
        this.endpoints = endpoints;
        this.out = out;
        this.err = err;
        this.in = in;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv("LOCAL_CLOUD_ENDPOINTS"), System.out, System.err, System.in));
    }

    /** Runs one command; returns the exit status (0 done, 1 failed, 2 bad usage). */
    static int run(String[] arguments, String endpointsFromEnvironment, PrintStream out, PrintStream err,
                   InputStream in) {
        Deque<String> args = new ArrayDeque<>(List.of(arguments));
        String endpointsFile = endpointsFromEnvironment;
        while (!args.isEmpty() && args.peekFirst().startsWith("-")) {
            String option = args.pollFirst();
            if (option.equals("-h") || option.equals("--help")) {
                out.print(USAGE);
                return 0;
            } else if (option.equals("--endpoints") && !args.isEmpty()) {
                endpointsFile = args.pollFirst();
            } else if (option.startsWith("--endpoints=")) {
                endpointsFile = option.substring("--endpoints=".length());
            } else {
                return usage(err, "unknown option " + option);
            }
        }
        if (args.isEmpty()) {
            return usage(err, "no command");
        }
        if (endpointsFile == null || endpointsFile.isBlank()) {
            return usage(err, "no endpoints file: pass --endpoints FILE or set LOCAL_CLOUD_ENDPOINTS");
        }
        Endpoints endpoints;
        try {
            endpoints = JSON.readValue(Path.of(endpointsFile).toFile(), Endpoints.class);
        } catch (IOException e) {
            err.println("local-cloud: no running local cloud found: cannot read " + endpointsFile + " ("
                    + e.getMessage() + "); start one with ./run-local");
            return 1;
        }
        LocalCloudCli cli = new LocalCloudCli(endpoints, out, err, in);
        String command = args.pollFirst();
        try {
            return switch (command) {
                case "invoke" -> cli.invoke(args);
                case "logs" -> cli.logs(args);
                case "send" -> cli.send(args);
                case "reset" -> args.isEmpty() ? cli.reset() : usage(err, "reset takes no arguments");
                case "redeploy" -> cli.redeploy(args);
                default -> usage(err, "unknown command " + command);
            };
        } catch (Usage e) {
            return usage(err, e.getMessage());
        } catch (ConnectException e) {
            err.println("local-cloud: the local cloud of " + endpointsFile + " does not answer (stopped?); start it "
                    + "with ./run-local");
            return 1;
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("local-cloud: " + command + ": no such file " + e.getFile());
            return 1;
        } catch (IOException | SdkException e) {
            err.println("local-cloud: " + command + " failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("local-cloud: " + problem);
        err.print(USAGE);
        return 2;
    }

    // ---- invoke

    private int invoke(Deque<String> args) throws IOException, InterruptedException {
        if (args.isEmpty() || args.size() > 2) {
            throw new Usage("invoke takes FUNCTION [PAYLOAD|@FILE|-]");
        }
        String function = args.pollFirst();
        byte[] payload = args.isEmpty() ? "{}".getBytes(StandardCharsets.UTF_8) : content(args.pollFirst());
        try {
            JSON.readTree(payload);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // Lambda refuses it too (InvalidRequestContentException): say so before sending.
            err.println("local-cloud: the payload is not JSON: " + e.getOriginalMessage());
            return 2;
        }
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(endpoints.lambda()
                        + "/2015-03-31/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/invocations"))
                .header("X-Amz-Log-Type", "Tail").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            err.println("local-cloud: invoke " + function + ": HTTP " + response.statusCode() + " "
                    + response.headers().firstValue("x-amzn-ErrorType").orElse("") + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
            return 1;
        }
        response.headers().firstValue("X-Amz-Log-Result").ifPresent(tail -> {
            err.print(new String(Base64.getDecoder().decode(tail), StandardCharsets.UTF_8));
            err.flush();
        });
        out.write(response.body());
        out.println();
        out.flush();
        var functionError = response.headers().firstValue("X-Amz-Function-Error");
        if (functionError.isPresent()) {
            err.println("local-cloud: " + function + " failed (" + functionError.get() + ")");
            return 1;
        }
        return 0;
    }

    // ---- logs

    private int logs(Deque<String> args) throws IOException, InterruptedException {
        boolean follow = false;
        Integer lines = null;
        List<String> named = new ArrayList<>();
        while (!args.isEmpty()) {
            String arg = args.pollFirst();
            switch (arg) {
                case "-f", "--follow" -> follow = true;
                case "-n", "--lines" -> {
                    try {
                        lines = Integer.parseInt(args.isEmpty() ? "" : args.pollFirst());
                    } catch (NumberFormatException e) {
                        throw new Usage(arg + " takes a number");
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw new Usage("logs: unknown option " + arg);
                    }
                    named.add(arg);
                }
            }
        }
        Map<String, Path> logs = functionLogs();
        Map<String, Path> chosen = new LinkedHashMap<>();
        for (String name : named) {
            if (!logs.containsKey(name)) {
                err.println("local-cloud: no function " + name + " (functions: " + String.join(", ", logs.keySet()) + ")");
                return 1;
            }
            chosen.put(name, logs.get(name));
        }
        if (chosen.isEmpty()) {
            chosen.putAll(logs);
        }
        int width = chosen.keySet().stream().mapToInt(String::length).max().orElse(0);
        List<LogFollower> followers = new ArrayList<>();
        for (var log : chosen.entrySet()) {
            String prefix = chosen.size() == 1 ? "" : String.format("%-" + width + "s | ", log.getKey());
            LogFollower follower = new LogFollower(log.getValue(), prefix);
            follower.printLast(out, lines != null ? lines : follow ? 10 : Integer.MAX_VALUE);
            followers.add(follower);
        }
        out.flush();
        if (!follow) {
            return 0;
        }
        // tail -F: poll every file, from where it ended, again from its start when it was truncated or replaced.
        while (!Thread.currentThread().isInterrupted()) {
            boolean any = false;
            for (LogFollower follower : followers) {
                any |= follower.printNew(out);
            }
            if (any) {
                out.flush();
            }
            Thread.sleep(POLL.toMillis());
        }
        return 0;
    }

    /** Function name → its log file, from the admin API. */
    private Map<String, Path> functionLogs() throws IOException, InterruptedException {
        JsonNode functions = JSON.readTree(admin("GET", "/functions").body());
        Map<String, Path> logs = new LinkedHashMap<>();
        functions.forEach(function -> logs.put(function.path("name").asText(), Path.of(function.path("log").asText())));
        return logs;
    }

    /** One log file read as tail -F reads it: by position, whole lines only, reopened when replaced. */
    private static final class LogFollower {
        private final Path file;
        private final String prefix;
        private long position;
        private Object fileKey;
        private final StringBuilder partial = new StringBuilder();

        LogFollower(Path file, String prefix) {
            this.file = file;
            this.prefix = prefix;
        }

        /** Prints the last {@code count} lines there are now and remembers where the file ended. */
        void printLast(PrintStream out, int count) throws IOException {
            if (!Files.exists(file)) {
                return;
            }
            fileKey = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            byte[] all = Files.readAllBytes(file);
            position = all.length;
            String text = new String(all, StandardCharsets.UTF_8);
            int end = text.endsWith("\n") ? text.length() : text.lastIndexOf('\n') + 1;
            partial.append(text, end, text.length());
            List<String> complete = end == 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
            // split leaves one empty string after the last newline
            List<String> lines = complete.isEmpty() ? complete : complete.subList(0, complete.size() - 1);
            lines.subList(Math.max(0, lines.size() - count), lines.size()).forEach(line -> out.println(prefix + line));
        }

        /** Prints the whole lines written since the last call; true when there were any. */
        boolean printNew(PrintStream out) throws IOException {
            if (!Files.exists(file)) {
                return false;
            }
            Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            long size = Files.size(file);
            if ((fileKey != null && !fileKey.equals(key)) || size < position) {
                position = 0;
                partial.setLength(0);
            }
            fileKey = key;
            if (size == position) {
                return false;
            }
            byte[] fresh;
            try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
                reader.seek(position);
                fresh = new byte[(int) Math.min(size - position, Integer.MAX_VALUE)];
                reader.readFully(fresh);
            }
            position += fresh.length;
            partial.append(new String(fresh, StandardCharsets.UTF_8));
            boolean printed = false;
            for (int newline; (newline = partial.indexOf("\n")) >= 0; ) {
                out.println(prefix + partial.substring(0, newline));
                partial.delete(0, newline + 1);
                printed = true;
            }
            return printed;
        }
    }

    // ---- send

    private int send(Deque<String> args) throws IOException {
        if (args.isEmpty()) {
            throw new Usage("send takes queue NAME BODY or object BUCKET KEY FILE");
        }
        String what = args.pollFirst();
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        while (!args.isEmpty()) {
            String arg = args.pollFirst();
            if (arg.startsWith("--") && arg.length() > 2) {
                if (args.isEmpty()) {
                    throw new Usage(arg + " needs a value");
                }
                options.put(arg, args.pollFirst());
            } else {
                positional.add(arg);
            }
        }
        try (ServiceClients clients = new ServiceClients(endpoints, false)) {
            return switch (what) {
                case "queue" -> sendMessage(clients, positional, options);
                case "object" -> putObject(clients, positional, options);
                default -> throw new Usage("send takes queue or object, not " + what);
            };
        }
    }

    private int sendMessage(ServiceClients clients, List<String> positional, Map<String, String> options)
            throws IOException {
        if (positional.size() != 2) {
            throw new Usage("send queue takes NAME BODY|@FILE|-");
        }
        only(options, "--group-id", "--dedup-id");
        if (clients.sqs() == null) {
            err.println("local-cloud: this cloud runs no SQS");
            return 1;
        }
        String name = positional.get(0);
        String url;
        try {
            url = clients.sqs().getQueueUrl(request -> request.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            err.println("local-cloud: no queue " + name + " (queues: " + String.join(", ", clients.sqs().listQueues()
                    .queueUrls().stream().map(queue -> queue.substring(queue.lastIndexOf('/') + 1)).toList()) + ")");
            return 1;
        }
        var message = SendMessageRequest.builder().queueUrl(url)
                .messageBody(new String(content(positional.get(1)), StandardCharsets.UTF_8));
        if (name.endsWith(".fifo")) {
            // FIFO queues need a group; a fresh deduplication id unless one is given (or content-based is on).
            message.messageGroupId(options.getOrDefault("--group-id", "local"))
                    .messageDeduplicationId(options.getOrDefault("--dedup-id", UUID.randomUUID().toString()));
        }
        out.println(clients.sqs().sendMessage(message.build()).messageId());
        return 0;
    }

    private int putObject(ServiceClients clients, List<String> positional, Map<String, String> options)
            throws IOException {
        if (positional.size() != 3) {
            throw new Usage("send object takes BUCKET KEY FILE|-");
        }
        only(options, "--content-type");
        if (clients.s3() == null) {
            err.println("local-cloud: this cloud runs no S3");
            return 1;
        }
        String file = positional.get(2);
        String contentType = options.get("--content-type");
        if (contentType == null && !file.equals("-")) {
            contentType = Files.probeContentType(Path.of(file));
        }
        byte[] body = file.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(file));
        String type = contentType == null ? "application/octet-stream" : contentType;
        var answer = clients.s3().putObject(request -> request.bucket(positional.get(0)).key(positional.get(1))
                .contentType(type), RequestBody.fromBytes(body));
        out.println(answer.eTag());
        return 0;
    }

    private static void only(Map<String, String> options, String... allowed) {
        for (String option : options.keySet()) {
            if (!List.of(allowed).contains(option)) {
                throw new Usage("unknown option " + option);
            }
        }
    }

    // ---- reset, redeploy

    private int reset() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = admin("POST", "/reset");
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(response.body())));
        return response.statusCode() == 200 ? 0 : 1;
    }

    private int redeploy(Deque<String> args) throws IOException, InterruptedException {
        if (args.isEmpty()) {
            throw new Usage("redeploy takes FUNCTION...");
        }
        int status = 0;
        for (String function : args) {
            HttpResponse<byte[]> response = admin("POST",
                    "/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/redeploy");
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() == 200) {
                out.println("redeployed " + function + " from " + answer.path("artifact").asText() + " ("
                        + answer.path("retired").asInt() + " instance(s) retired; busy ones finish first)");
            } else {
                err.println("local-cloud: redeploy " + function + ": " + answer.path("message").asText());
                status = 1;
            }
        }
        return status;
    }

    private HttpResponse<byte[]> admin(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(endpoints.admin() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A literal argument, {@code @FILE} for a file's bytes, or {@code -} for standard input. */
    private byte[] content(String argument) throws IOException {
        if (argument.equals("-")) {
            return in.readAllBytes();
        }
        if (argument.startsWith("@")) {
            return Files.readAllBytes(Path.of(argument.substring(1)));
        }
        return argument.getBytes(StandardCharsets.UTF_8);
    }

    /** A command line that does not fit the command. */
    private static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }
}
