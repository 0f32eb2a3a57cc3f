package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Base62Test {

    @Test
    void codeSpaceIs62ToTheSeventh() {
        assertThat(Base62.CODE_SPACE).isEqualTo(3_521_614_606_208L);
    }

    @Test
    void encodesWithFixedWidthAndTheDigitOrderOf0to9AtoZatoz() {
        assertThat(Base62.encode(0, 7)).isEqualTo("0000000");
        assertThat(Base62.encode(61, 7)).isEqualTo("000000z");
        assertThat(Base62.encode(62, 7)).isEqualTo("0000010");
        assertThat(Base62.encode(Base62.CODE_SPACE - 1, 7)).isEqualTo("zzzzzzz");
        assertThat(Base62.encode(10, 1)).isEqualTo("A");
        assertThat(Base62.encode(36, 1)).isEqualTo("a");
    }

    @Test
    void decodeInvertsEncode() {
        SplittableRandom random = new SplittableRandom(62);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(Base62.CODE_SPACE);
            String code = Base62.encode(v, 7);
            assertThat(code).hasSize(7).matches("[0-9A-Za-z]{7}");
            assertThat(Base62.decode(code)).isEqualTo(v);
        }
    }

    @Test
    void refusesWhatDoesNotFit() {
        assertThatThrownBy(() -> Base62.encode(Base62.CODE_SPACE, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base62.encode(-1, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base62.decode("ab-c")).isInstanceOf(IllegalArgumentException.class);
    }
}
