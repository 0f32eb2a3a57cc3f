package dev.blocks.kit.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which function the dispatcher runs, and that choosing a named one creates no other. */
class FunctionSelectionTest {

    private final List<String> created = new ArrayList<>();

    private LambdaFunction role(String name) {
        created.add(name);
        return new LambdaFunction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public JsonNode invoke(JsonNode event) {
                return null;
            }
        };
    }

    /**
     * An {@code Instance} as CDI hands one over, reduced to what the dispatcher calls: beans are created only when
     * they are taken. {@code named} maps a bean's {@code @Named} value (null: none) to how it is created.
     */
    @SuppressWarnings("unchecked")
    private static Instance<LambdaFunction> instance(Map<String, Supplier<LambdaFunction>> named,
                                                     List<Supplier<LambdaFunction>> unnamed) {
        return (Instance<LambdaFunction>) Proxy.newProxyInstance(Instance.class.getClassLoader(), new Class<?>[] {Instance.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "select" -> {
                        String wanted = ((Named) ((Object[]) args[0])[0]).value();
                        Supplier<LambdaFunction> bean = named.get(wanted);
                        yield instance(bean == null ? Map.of() : Map.of(wanted, bean), List.of());
                    }
                    case "isResolvable" -> named.size() + unnamed.size() == 1;
                    case "get" -> (named.isEmpty() ? unnamed.get(0) : named.values().iterator().next()).get();
                    case "stream" -> {
                        List<Supplier<LambdaFunction>> all = new ArrayList<>(named.values());
                        all.addAll(unnamed);
                        yield all.stream().map(Supplier::get);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aRoleNamedByItsQualifierIsTheOnlyFunctionCreated() {
        Map<String, Supplier<LambdaFunction>> named = new LinkedHashMap<>();
        named.put("links-api", () -> role("links-api"));
        named.put("redirect", () -> role("redirect"));
        named.put("clicks", () -> role("clicks"));

        LambdaFunction chosen = FunctionDispatcher.select(instance(named, List.of()), "redirect");

        assertThat(chosen.name()).isEqualTo("redirect");
        assertThat(created).containsExactly("redirect");
    }

    @Test
    void aFunctionWithoutTheQualifierIsFoundByItsName() {
        LambdaFunction chosen = FunctionDispatcher.select(instance(Map.of("links-api", () -> role("links-api")),
                List.of(() -> role("legacy"))), "legacy");

        assertThat(chosen.name()).isEqualTo("legacy");
    }

    @Test
    void anUnknownRoleIsRefusedNamingTheRolesThereAre() {
        assertThatThrownBy(() -> FunctionDispatcher.select(instance(Map.of("links-api", () -> role("links-api")),
                List.of(() -> role("legacy"))), "redirects"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BLOCKS_FUNCTION=redirects").hasMessageContaining("legacy, links-api");
    }

    @Test
    void aQualifierThatDisagreesWithTheFunctionsNameIsRefused() {
        assertThatThrownBy(() -> FunctionDispatcher.select(instance(Map.of("redirect", () -> role("links-api")),
                List.of()), "redirect"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("BLOCKS_FUNCTION=redirect");
    }
}
