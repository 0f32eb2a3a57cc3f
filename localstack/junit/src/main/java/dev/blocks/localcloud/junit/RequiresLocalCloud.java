package dev.blocks.localcloud.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Skips the annotated test class when the chosen local cloud cannot run on this machine ({@code blocks.cloud=
 * localstack} without a Docker engine), before anything starts.
 *
 * <p>{@link LocalCloudExtension} skips by itself. A {@code @QuarkusTest} with {@link LocalCloudResource} needs this
 * annotation too: Quarkus reports a test resource that aborts as an error, not as a skipped test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(LocalCloudCondition.class)
public @interface RequiresLocalCloud {}
