package dev.blocks.localcloud.plan;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Produces the plan JSON of a Terraform configuration for the {@code local} target: {@code terraform init},
 * {@code plan -out}, {@code show -json}.
 *
 * <p>The JSON is cached under the configuration's {@code .terraform/local-cloud/}, keyed by the content of every
 * Terraform file of the configuration and of the local modules it calls, and by the variables; an unchanged
 * configuration is read from there without running Terraform. Runs on the same directory are serialised, also
 * across processes (a file lock), because Terraform's working directory is not safe to share.
 *
 * <p>Where providers come from: when {@code TF_CLI_CONFIG_FILE} names an existing file, Terraform uses it. Else,
 * when a provider mirror directory exists (/opt/tf-plugins on the project's machines), a CLI configuration that
 * takes {@code hashicorp/*} from it is written and used, so no registry is needed. Else Terraform downloads them.
 */
public final class TerraformPlanRunner {

    /** Where the project's build machines keep providers (see infra/terraform/offline.tfrc). */
    public static final Path DEFAULT_PROVIDER_MIRROR = Path.of("/opt/tf-plugins");

    private static final Pattern LOCAL_MODULE_SOURCE = Pattern.compile("source\\s*=\\s*\"(\\.{1,2}/[^\"]*)\"");
    private static final long STEP_TIMEOUT_MINUTES = 10;
    private static final Object IN_PROCESS_LOCK = new Object();

    private final String terraform;
    private final Path providerMirror;
    private final Map<String, String> environment;

    /** Runs {@code terraform} from the PATH with this process's environment. */
    public TerraformPlanRunner() {
        this("terraform", DEFAULT_PROVIDER_MIRROR, System.getenv());
    }

    TerraformPlanRunner(String terraform, Path providerMirror, Map<String, String> environment) {
        this.terraform = terraform;
        this.providerMirror = providerMirror;
        this.environment = Map.copyOf(environment);
    }

    /**
     * The plan JSON of the configuration in {@code dir} with {@code variables} ({@code target=local} unless given).
     *
     * @throws TerraformException when Terraform is missing or fails; the message carries Terraform's output
     */
    public String planJson(Path dir, Map<String, String> variables) throws TerraformException {
        Path configuration = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(configuration)) {
            throw new TerraformException("no Terraform configuration at " + configuration);
        }
        Map<String, String> allVariables = new TreeMap<>(variables);
        allVariables.putIfAbsent("target", "local");
        Path work = configuration.resolve(".terraform").resolve("local-cloud");
        try {
            Files.createDirectories(work);
            synchronized (IN_PROCESS_LOCK) {
                try (FileChannel lockFile = FileChannel.open(work.resolve("lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    return cachedOrPlanned(configuration, work, allVariables);
                }
            }
        } catch (IOException e) {
            throw new TerraformException("cannot plan " + configuration + ": " + e.getMessage(), e);
        }
    }

    private String cachedOrPlanned(Path configuration, Path work, Map<String, String> variables)
            throws IOException, TerraformException {
        Path cached = work.resolve("plan-" + cacheKey(configuration, variables) + ".json");
        if (Files.isRegularFile(cached)) {
            return Files.readString(cached);
        }
        Map<String, String> env = terraformEnvironment(work);
        run(configuration, env, work, "init", List.of("init", "-input=false", "-no-color"));
        Path planFile = work.resolve("local.tfplan");
        List<String> plan = new ArrayList<>(List.of("plan", "-input=false", "-no-color", "-lock=false",
                "-refresh=false", "-out=" + planFile));
        variables.forEach((name, value) -> plan.add("-var=" + name + "=" + value));
        run(configuration, env, work, "plan", plan);
        Path json = run(configuration, env, work, "show", List.of("show", "-json", "-no-color", planFile.toString()));
        Path written = Files.createTempFile(work, "plan-", ".tmp");
        Files.copy(json, written, StandardCopyOption.REPLACE_EXISTING);
        Files.move(written, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> old = Files.list(work)) {
            for (Path stale : old.filter(p -> p.getFileName().toString().startsWith("plan-") && !p.equals(cached)).toList()) {
                Files.deleteIfExists(stale);
            }
        }
        return Files.readString(cached);
    }

    private Map<String, String> terraformEnvironment(Path work) throws IOException {
        Map<String, String> env = new TreeMap<>();
        env.put("TF_IN_AUTOMATION", "1");
        env.put("CHECKPOINT_DISABLE", "1");
        String configured = environment.get("TF_CLI_CONFIG_FILE");
        boolean usable = configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured));
        if (!usable && Files.isDirectory(providerMirror)) {
            Path offline = work.resolve("offline.tfrc");
            Files.writeString(offline, offlineConfiguration(providerMirror));
            env.put("TF_CLI_CONFIG_FILE", offline.toString());
        }
        return env;
    }

    static String offlineConfiguration(Path mirror) {
        return "provider_installation {\n"
                + "  filesystem_mirror {\n"
                + "    path    = \"" + mirror.toAbsolutePath() + "\"\n"
                + "    include = [\"registry.terraform.io/hashicorp/*\"]\n"
                + "  }\n"
                + "  direct {\n"
                + "    exclude = [\"registry.terraform.io/hashicorp/*\"]\n"
                + "  }\n"
                + "}\n";
    }

    /** Runs one Terraform command and returns the file holding its standard output. */
    private Path run(Path configuration, Map<String, String> env, Path work, String step, List<String> arguments)
            throws IOException, TerraformException {
        List<String> command = new ArrayList<>();
        command.add(terraform);
        command.addAll(arguments);
        Path out = work.resolve(step + ".out");
        Path err = work.resolve(step + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(configuration.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TerraformException("Terraform is needed to read " + configuration + " but `" + terraform
                    + "` cannot be run (" + e.getMessage() + "). Install Terraform >= 1.5 and put it on the PATH.", e);
        }
        try {
            if (!process.waitFor(STEP_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new TerraformException("terraform " + step + " in " + configuration + " did not finish within "
                        + STEP_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TerraformException("interrupted while terraform " + step + " ran in " + configuration, e);
        }
        if (process.exitValue() != 0) {
            String stderr = Files.readString(err).strip();
            String stdout = step.equals("show") ? "" : Files.readString(out).strip();
            throw new TerraformException("terraform " + step + " failed in " + configuration + " (exit "
                    + process.exitValue() + "):\n" + (stderr.isEmpty() ? stdout : stderr));
        }
        return out;
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /**
     * Hash of the configuration's Terraform files, those of the local modules it calls (recursively), and the
     * variables: what decides the plan, short of provider versions and files read by functions.
     */
    static String cacheKey(Path configuration, Map<String, String> variables) throws IOException {
        MessageDigest digest = sha256();
        Set<Path> directories = new LinkedHashSet<>();
        Deque<Path> pending = new ArrayDeque<>(List.of(configuration));
        while (!pending.isEmpty()) {
            Path directory = pending.pop().normalize();
            if (!directories.add(directory)) {
                continue;
            }
            for (Path file : terraformFiles(directory)) {
                String text = Files.readString(file);
                update(digest, configuration.relativize(file).toString());
                update(digest, text);
                Matcher source = LOCAL_MODULE_SOURCE.matcher(text);
                while (source.find()) {
                    Path module = directory.resolve(source.group(1)).normalize();
                    if (Files.isDirectory(module)) {
                        pending.push(module);
                    }
                }
            }
        }
        new TreeMap<>(variables).forEach((name, value) -> {
            update(digest, "-var " + name);
            update(digest, value);
        });
        return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
    }

    private static List<Path> terraformFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        String name = f.getFileName().toString();
                        return name.endsWith(".tf") || name.endsWith(".tf.json") || name.endsWith(".tfvars")
                                || name.endsWith(".tfvars.json");
                    })
                    .sorted()
                    .toList();
        }
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
