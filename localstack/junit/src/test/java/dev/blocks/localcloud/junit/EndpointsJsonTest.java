package dev.blocks.localcloud.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointsJsonTest {

    @Test
    void readsTheServersDocumentAndIgnoresFieldsItDoesNotKnow() {
        Endpoints endpoints = EndpointsJson.parse("""
                {"gateway":"http://127.0.0.1:8080","admin":"http://127.0.0.1:9000","redis":"redis://127.0.0.1:6390",
                 "region":"us-east-1","accessKeyId":"test","secretAccessKey":"test","functions":["a","b"]}
                """);

        assertThat(endpoints.gateway()).isEqualTo("http://127.0.0.1:8080");
        assertThat(endpoints.redis()).isEqualTo("redis://127.0.0.1:6390");
        assertThat(endpoints.dynamodb()).isNull();
        assertThat(endpoints.accessKeyId()).isEqualTo("test");
    }

    @Test
    void aDocumentThatIsNotJsonFailsWithTheDocument() {
        assertThatThrownBy(() -> EndpointsJson.parse("ready"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ready");
    }
}
