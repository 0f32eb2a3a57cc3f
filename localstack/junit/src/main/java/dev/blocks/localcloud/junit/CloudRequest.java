package dev.blocks.localcloud.junit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a test asks the local cloud to run: the resources of a Terraform directory (with variables), or only some
 * services. Two equal requests share one running cloud.
 *
 * @param terraformDir Terraform root module, relative to the repository root or absolute; {@code null} for none
 * @param vars Terraform variables, kept sorted so that equal requests describe themselves equally
 * @param services services to run, sorted; empty means every service the cloud has
 */
record CloudRequest(String terraformDir, SortedMap<String, String> vars, List<String> services) {

    CloudRequest {
        vars = new TreeMap<>(vars);
        services = List.copyOf(new TreeSet<>(services));
    }

    static CloudRequest terraform(String dir) {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("a Terraform directory is required");
        }
        return new CloudRequest(dir, new TreeMap<>(), List.of());
    }

    static CloudRequest services(List<String> names) {
        return new CloudRequest(null, new TreeMap<>(), names);
    }

    CloudRequest withVar(String name, String value) {
        if (name == null || name.isBlank() || name.contains("=")) {
            throw new IllegalArgumentException("not a Terraform variable name: '" + name + "'");
        }
        SortedMap<String, String> more = new TreeMap<>(vars);
        more.put(name, value);
        return new CloudRequest(terraformDir, more, services);
    }

    CloudRequest withServices(List<String> names) {
        return new CloudRequest(terraformDir, vars, names);
    }

    /** The command-line arguments of the cloud server that express this request. */
    List<String> arguments(Path repoRoot) {
        List<String> args = new ArrayList<>();
        if (terraformDir != null) {
            args.add("--terraform-dir");
            args.add(repoRoot.resolve(terraformDir).normalize().toString());
        }
        for (Map.Entry<String, String> var : vars.entrySet()) {
            args.add("--var");
            args.add(var.getKey() + "=" + var.getValue());
        }
        if (!services.isEmpty()) {
            args.add("--services");
            args.add(String.join(",", services));
        }
        return args;
    }

    String describe() {
        String what = terraformDir != null ? "terraform " + terraformDir : "services " + String.join(",", services);
        if (terraformDir == null && services.isEmpty()) {
            what = "all services";
        } else if (terraformDir != null && !services.isEmpty()) {
            what += " services " + String.join(",", services);
        }
        return vars.isEmpty() ? what : what + " " + vars;
    }

    /** A short stable name for this request, fit for file names and property keys. */
    String key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(describe().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
