package dev.blocks.localcloud.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudRequestTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void terraformRequestBecomesServerArgumentsWithAnAbsoluteDirectory() {
        CloudRequest request = CloudRequest.terraform("localstack/test-function/terraform")
                .withVar("test_schedule", "rate(2 seconds)")
                .withVar("prefix", "t1");

        assertThat(request.arguments(ROOT)).containsExactly(
                "--terraform-dir", "/repo/localstack/test-function/terraform",
                "--var", "prefix=t1",
                "--var", "test_schedule=rate(2 seconds)");
    }

    @Test
    void servicesAreSortedAndDeduplicated() {
        CloudRequest request = CloudRequest.services(List.of("sqs", "redis", "sqs"));

        assertThat(request.arguments(ROOT)).containsExactly("--services", "redis,sqs");
    }

    @Test
    void noServicesMeansEveryServiceAndNoFlag() {
        assertThat(CloudRequest.services(List.of()).arguments(ROOT)).isEmpty();
        assertThat(CloudRequest.services(List.of()).describe()).isEqualTo("all services");
    }

    @Test
    void equalRequestsShareAKeyWhateverTheOrderTheyWereWritten() {
        CloudRequest one = CloudRequest.terraform("tf").withVar("a", "1").withVar("b", "2");
        CloudRequest other = CloudRequest.terraform("tf").withVar("b", "2").withVar("a", "1");

        assertThat(one).isEqualTo(other);
        assertThat(one.key()).isEqualTo(other.key()).matches("[0-9a-f]{12}");
        assertThat(one.withVar("a", "3").key()).isNotEqualTo(one.key());
        assertThat(CloudRequest.services(List.of("redis")).key())
                .isNotEqualTo(CloudRequest.services(List.of("kafka")).key());
    }

    @Test
    void anAbsoluteTerraformDirectoryIsKept() {
        assertThat(CloudRequest.terraform("/elsewhere/tf").arguments(ROOT))
                .containsExactly("--terraform-dir", "/elsewhere/tf");
    }

    @Test
    void malformedVariableNamesAreRefused() {
        assertThatThrownBy(() -> CloudRequest.terraform("tf").withVar("a=b", "c"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CloudRequest.terraform(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
