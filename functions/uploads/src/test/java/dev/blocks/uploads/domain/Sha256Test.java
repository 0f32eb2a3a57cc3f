package dev.blocks.uploads.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void hexAndBase64AreTheSameDigest() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("hello".getBytes(StandardCharsets.UTF_8));
        Sha256 fromHex = Sha256.parseHex(HexFormat.of().withUpperCase().formatHex(digest)).orElseThrow();
        assertThat(fromHex.hex()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(fromHex.base64()).isEqualTo(Base64.getEncoder().encodeToString(digest));
        assertThat(Sha256.parseBase64(fromHex.base64())).contains(fromHex);
    }

    @Test
    void refusesWhatIsNoDigest() {
        assertThat(Sha256.parseHex("abc")).isEmpty();
        assertThat(Sha256.parseHex("g".repeat(64))).isEmpty();
        assertThat(Sha256.parseHex(null)).isEmpty();
        assertThat(Sha256.parseBase64("not base64!")).isEmpty();
        assertThat(Sha256.parseBase64(Base64.getEncoder().encodeToString(new byte[20]))).isEmpty();
        // a multipart object's composite checksum is no digest of the content
        assertThat(Sha256.parseBase64(Base64.getEncoder().encodeToString(new byte[32]) + "-3")).isEmpty();
    }
}
