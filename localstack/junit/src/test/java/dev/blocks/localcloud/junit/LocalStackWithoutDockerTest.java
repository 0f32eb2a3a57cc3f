package dev.blocks.localcloud.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Asking for LocalStack on a machine without Docker skips the tests that need it; it never fails them. */
class LocalStackWithoutDockerTest {

    private static final String REASON = "blocks.cloud=localstack needs a Docker engine and none answers";

    private String modeBefore;

    @BeforeEach
    void askForLocalStackWithoutDocker() {
        Assumptions.assumeFalse(DockerEngine.answers(), "this machine has Docker: the LocalStack path would run");
        modeBefore = System.getProperty(CloudMode.PROPERTY);
        System.setProperty(CloudMode.PROPERTY, "localstack");
        UsesTheExtension.ran = false;
        AnnotatedOnly.ran = false;
    }

    @AfterEach
    void restoreMode() {
        if (modeBefore == null) {
            System.clearProperty(CloudMode.PROPERTY);
        } else {
            System.setProperty(CloudMode.PROPERTY, modeBefore);
        }
    }

    @Test
    void testsUsingTheExtensionAreAbortedWithTheReason() {
        Outcome outcome = run(UsesTheExtension.class);

        assertThat(outcome.finished).isNotEmpty().allSatisfy(result -> {
            assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
            assertThat(result.getThrowable()).get().extracting(Throwable::getMessage).asString().contains(REASON);
        });
        assertThat(UsesTheExtension.ran).isFalse();
    }

    @Test
    void annotatedClassesAreSkippedBeforeAnythingStarts() {
        Outcome outcome = run(AnnotatedOnly.class);

        assertThat(outcome.skipReasons).singleElement().asString().contains(REASON);
        assertThat(outcome.finished).isEmpty();
        assertThat(AnnotatedOnly.ran).isFalse();
    }

    private static Outcome run(Class<?> testClass) {
        Outcome outcome = new Outcome();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .build();
        LauncherFactory.create().execute(request, outcome);
        return outcome;
    }

    /** What happened to the test class (its container level: where the extension and the condition act). */
    private static final class Outcome implements TestExecutionListener {
        final List<TestExecutionResult> finished = new ArrayList<>();
        final List<String> skipReasons = new ArrayList<>();

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
                finished.add(result);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            skipReasons.add(reason);
        }
    }

    /** Run only through the launcher above; Surefire skips nested classes. */
    static class UsesTheExtension {
        static boolean ran;

        @RegisterExtension
        static LocalCloudExtension cloud = LocalCloudExtension.services("redis");

        @Test
        void usesTheCloud() {
            ran = true;
        }
    }

    /** Stands for a {@code @QuarkusTest} whose cloud comes from {@link LocalCloudResource}. */
    @RequiresLocalCloud
    static class AnnotatedOnly {
        static boolean ran;

        @Test
        void usesTheCloud() {
            ran = true;
        }
    }
}
