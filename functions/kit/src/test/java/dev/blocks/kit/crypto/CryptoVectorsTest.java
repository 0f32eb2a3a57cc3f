package dev.blocks.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Published test vectors: FIPS 180-2 for SHA-256, RFC 4231 case 2 for HMAC-SHA256 and HMAC-SHA512. */
class CryptoVectorsTest {

    @Test
    void sha256OfAbc() {
        assertThat(Sha256Hash.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256Hash.of("abc")).isEqualTo(Sha256Hash.of("abc".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hmacOfRfc4231CaseTwoInParts() {
        byte[] key = "Jefe".getBytes(StandardCharsets.UTF_8);
        String hex256 = HexFormat.of().formatHex(Hmac.SHA256.digest(key,
                "what do ya want ".getBytes(StandardCharsets.UTF_8), "for nothing?".getBytes(StandardCharsets.UTF_8)));
        assertThat(hex256).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(Hmac.SHA256.digest(key, "what do ya want for nothing?"))
                .isEqualTo(HexFormat.of().parseHex(hex256));
        assertThat(HexFormat.of().formatHex(Hmac.SHA512.digest(key, "what do ya want for nothing?"))).isEqualTo(
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
    }
}
