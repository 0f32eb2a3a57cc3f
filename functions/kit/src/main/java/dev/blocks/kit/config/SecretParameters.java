package dev.blocks.kit.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.spi.ConfigSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * The deployment's own secrets (the shortener's code key and visitor secret) as configuration properties, read from
 * SSM Parameter Store SecureString parameters encrypted with the stack's KMS key. They are not environment
 * variables because a function's environment is shown to anyone who may read its configuration, and sits in
 * Terraform's state; the parameters' values are written write-only and decrypted only by the roles granted the key.
 *
 * <p>{@code BLOCKS_SECRET_PARAMETERS} ({@value #LIST}) says which property comes from which parameter, as
 * comma-separated {@code property=parameter} pairs, e.g.
 * {@code blocks.shortener.codes.key=/blocks/shortener/code-key,blocks.shortener.clicks.visitor-secret=/blocks/shortener/visitor-secret}.
 * Unset (the local cloud, tests) means no parameter and no call. Set, the parameters are read when the configuration
 * is built, once per cold start (one GetParameters round trip per ten parameters), and held for the life of the
 * execution environment. A missing parameter or a failed read fails the start: a function without its secrets must
 * not serve, and Lambda reports an init error instead.
 *
 * <p>Registered through {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; the ordinal sits above
 * application.properties (250) and below environment variables (300).
 */
public final class SecretParameters implements ConfigSourceFactory {

    static final String LIST = "blocks.secret-parameters";
    static final int ORDINAL = 275;
    /** GetParameters takes at most ten names per call. */
    static final int NAMES_PER_CALL = 10;

    private final Supplier<SsmClient> ssm;

    /** Region, credentials and endpoint ({@code AWS_ENDPOINT_URL_SSM}) from Lambda's environment. */
    public SecretParameters() {
        this(() -> SsmClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
    }

    SecretParameters(Supplier<SsmClient> ssm) {
        this.ssm = ssm;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue listed = context.getValue(LIST);
        if (listed == null || listed.getValue() == null || listed.getValue().isBlank()) {
            return List.of();
        }
        Map<String, String> parameterOf = parse(listed.getValue());
        try (SsmClient client = ssm.get()) {
            return List.of(new PropertiesConfigSource(read(client, parameterOf), "SSM SecureString parameters", ORDINAL));
        }
    }

    /** {@code property=parameter,...} in order; a malformed or repeated entry is refused, naming it. */
    static Map<String, String> parse(String list) {
        Map<String, String> parameterOf = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String property = equals < 0 ? "" : trimmed.substring(0, equals).trim();
            String parameter = equals < 0 ? "" : trimmed.substring(equals + 1).trim();
            if (property.isEmpty() || parameter.isEmpty() || parameter.contains("=")) {
                throw new IllegalStateException(LIST + ": '" + trimmed + "' is not property=parameter");
            }
            if (parameterOf.putIfAbsent(property, parameter) != null) {
                throw new IllegalStateException(LIST + ": " + property + " is listed twice");
            }
        }
        return parameterOf;
    }

    /** Decrypted values by property; every parameter must exist. Error messages name parameters, never values. */
    static Map<String, String> read(SsmClient ssm, Map<String, String> parameterOf) {
        List<String> names = parameterOf.values().stream().distinct().toList();
        Map<String, String> valueOf = new LinkedHashMap<>();
        TreeSet<String> missing = new TreeSet<>();
        for (int from = 0; from < names.size(); from += NAMES_PER_CALL) {
            List<String> batch = new ArrayList<>(names.subList(from, Math.min(names.size(), from + NAMES_PER_CALL)));
            GetParametersResponse answer = ssm.getParameters(b -> b.names(batch).withDecryption(true));
            for (Parameter parameter : answer.parameters()) {
                valueOf.put(parameter.name(), parameter.value());
            }
            missing.addAll(answer.invalidParameters());
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(LIST + ": no such SSM parameter: " + String.join(", ", missing));
        }
        Map<String, String> byProperty = new LinkedHashMap<>();
        parameterOf.forEach((property, parameter) -> byProperty.put(property, valueOf.get(parameter)));
        return byProperty;
    }
}
