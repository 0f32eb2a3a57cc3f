package dev.blocks.uploads.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilenameTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '\'', value = {
            "report.pdf                       => report.pdf",
            "my holiday photo.JPG             => my holiday photo.JPG",
            "'  lots   of\tspace  .txt  '      => lots of space .txt",
            "Grüße aus Köln — 東京.png         => Grüße aus Köln — 東京.png",
            "../../etc/passwd                 => passwd",
            "C:\\Users\\me\\secret.docx       => secret.docx",
            "a<b>c:d\"e|f?g*h.txt             => a_b_c_d_e_f_g_h.txt",
            "evil\u202Egnp.exe                => evilgnp.exe",
            "zero\u200Bwidth\u0000nul\u0007.txt => zerowidthnul.txt",
            "'trailing dots...'               => trailing dots",
            "CON                              => _CON",
            "con.txt                          => _con.txt",
            "lpt9.tar.gz                      => _lpt9.tar.gz",
            "console.txt                      => console.txt",
            ".bashrc                          => .bashrc",
            "..                               => file",
            "'   '                            => file",
            "dir/                             => file",
            "\u0065\u0301.txt                 => \u00e9.txt",
    })
    void sanitises(String raw, String expected) {
        assertThat(Filename.sanitise(raw)).isEqualTo(expected);
    }

    @Test
    void keepsTheExtensionWhenCuttingTo255Bytes() {
        String name = "ä".repeat(300) + ".pdf";
        String cut = Filename.sanitise(name);
        assertThat(Filename.utf8Length(cut)).isLessThanOrEqualTo(Filename.MAX_BYTES);
        assertThat(cut).endsWith(".pdf").startsWith("ää");
        assertThat(Filename.utf8Length(cut)).isGreaterThan(Filename.MAX_BYTES - 2);
    }

    @Test
    void neverSplitsACharacter() {
        String cut = Filename.sanitise("😀".repeat(100));
        assertThat(cut).isEqualTo("😀".repeat(63));
    }

    /** Random names from a pool of troublesome characters: the result is always safe, short and stable. */
    @Test
    void anyInputGivesASafeStableName() {
        String pool = "aZ09 ._-/\\<>:\"|?*\t\n\r\u0000\u001f\u007f\u0085\u200b\u200e\u202a\u202e\u2066\u2028\ufeffé\u0301東😀\ud800";
        Random random = new Random(42);
        List<String> unsafe = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder raw = new StringBuilder();
            int length = random.nextInt(400);
            for (int j = 0; j < length; j++) {
                raw.append(pool.charAt(random.nextInt(pool.length())));
            }
            String name = Filename.sanitise(raw.toString());
            if (!safe(name) || !Filename.sanitise(name).equals(name)) {
                unsafe.add(raw + " -> " + name);
            }
        }
        assertThat(unsafe).isEmpty();
    }

    private static boolean safe(String name) {
        if (name.isEmpty() || name.endsWith(".") || name.endsWith(" ") || name.startsWith(" ")
                || Filename.utf8Length(name) > Filename.MAX_BYTES) {
            return false;
        }
        return name.codePoints().noneMatch(cp -> "/\\<>:\"|?*".indexOf(cp) >= 0 || Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE);
    }
}
