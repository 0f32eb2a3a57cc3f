package dev.blocks.uploads.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void plainAsciiNames() {
        assertThat(ContentDisposition.attachment("report.pdf"))
                .isEqualTo("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    }

    @Test
    void spacesAndNonAsciiAreEncodedForFilenameStar() {
        String header = ContentDisposition.attachment("Grüße 東京 100%.txt");
        assertThat(header).isEqualTo("attachment; filename=\"Gr__e __ 100_.txt\"; "
                + "filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%E6%9D%B1%E4%BA%AC%20100%25.txt");
        String encoded = header.substring(header.indexOf("''") + 2);
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo("Grüße 東京 100%.txt");
    }

    @Test
    void theHeaderIsAlwaysPrintableAscii() {
        String header = ContentDisposition.attachment(Filename.sanitise("😀 \"quoted\" back\\slash;semi,comma.bin"));
        assertThat(header.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        String fallback = header.substring(header.indexOf('"') + 1, header.indexOf("\";"));
        assertThat(fallback).doesNotContain("\"", "\\");
    }
}
