package dev.blocks.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --lenient}: start with what the plan holds that the local cloud would otherwise refuse. */
class LenientOptionTest {

    @Test
    void isOffUnlessAskedFor() {
        assertThat(LocalCloudMain.parse(new String[0]).options().lenient()).isFalse();
        assertThat(LocalCloudOptions.defaults().lenient()).isFalse();
    }

    @Test
    void isReadFromTheCommandLineAndKeptByEveryWither() {
        LocalCloudOptions options = LocalCloudMain.parse(new String[] {"--lenient", "--port", "0"}).options();

        assertThat(options.lenient()).isTrue();
        assertThat(options.withGatewayPort(9000).withServices(java.util.Set.of("sqs")).withLogDir(null)
                .withEndpointsFile(null).withExecution(options.execution()).lenient()).isTrue();
        assertThat(options.withLenient(false).lenient()).isFalse();
    }
}
