package dev.blocks.localcloud.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class CloudModeTest {

    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;

    @Test
    void unsetOrBlankMeansAuto() {
        assertThat(CloudMode.parse(null)).isEqualTo(CloudMode.AUTO);
        assertThat(CloudMode.parse("  ")).isEqualTo(CloudMode.AUTO);
    }

    @Test
    void namesAreReadWhateverTheirCase() {
        assertThat(CloudMode.parse("LocalStack")).isEqualTo(CloudMode.LOCALSTACK);
        assertThat(CloudMode.parse(" local ")).isEqualTo(CloudMode.LOCAL);
        assertThat(CloudMode.parse("AUTO")).isEqualTo(CloudMode.AUTO);
    }

    @Test
    void anUnknownNameIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> CloudMode.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'docker'")
                .hasMessageContaining("auto, local or localstack");
    }

    @Test
    void localNeverAsksForDocker() {
        AtomicInteger asked = new AtomicInteger();
        assertThat(CloudMode.LOCAL.resolve(() -> asked.incrementAndGet() > 0)).isEqualTo(CloudMode.LOCAL);
        assertThat(asked).hasValue(0);
    }

    @Test
    void autoPicksLocalStackOnlyWhenDockerAnswers() {
        assertThat(CloudMode.AUTO.resolve(DOCKER)).isEqualTo(CloudMode.LOCALSTACK);
        assertThat(CloudMode.AUTO.resolve(NO_DOCKER)).isEqualTo(CloudMode.LOCAL);
    }

    @Test
    void localStackWithDockerIsLocalStack() {
        assertThat(CloudMode.LOCALSTACK.resolve(DOCKER)).isEqualTo(CloudMode.LOCALSTACK);
    }

    @Test
    void localStackWithoutDockerAbortsTheTestAndSaysWhatToDo() {
        assertThatThrownBy(() -> CloudMode.LOCALSTACK.resolve(NO_DOCKER))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("blocks.cloud=localstack needs a Docker engine")
                .hasMessageContaining("-Dblocks.cloud=local");
    }
}
