package dev.blocks.shortener.domain;

/** Fixed-width base62 numerals over {@code 0-9A-Za-z}; codes are compared as strings, so the width never varies. */
public final class Base62 {

    static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public static final int CODE_LENGTH = 7;
    /** 62^7: how many distinct codes exist. */
    public static final long CODE_SPACE = pow62(CODE_LENGTH);

    private Base62() {}

    public static String encode(long value, int width) {
        if (value < 0 || value >= pow62(width)) {
            throw new IllegalArgumentException(value + " does not fit in " + width + " base62 digits");
        }
        char[] out = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            out[i] = DIGITS.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }

    public static long decode(String numeral) {
        long value = 0;
        for (int i = 0; i < numeral.length(); i++) {
            int digit = DIGITS.indexOf(numeral.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("not a base62 digit: '" + numeral.charAt(i) + "'");
            }
            value = Math.addExact(Math.multiplyExact(value, 62), digit);
        }
        return value;
    }

    static long pow62(int width) {
        long value = 1;
        for (int i = 0; i < width; i++) {
            value = Math.multiplyExact(value, 62);
        }
        return value;
    }
}
