package dev.blocks.uploads.domain;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * A file name as people gave it, made safe to store and to hand back in a {@code Content-Disposition} header: the
 * last path segment only, NFC-normalised, without control, formatting (bidi overrides, zero-width) or unassigned
 * characters, without characters Windows refuses, whitespace runs collapsed, no trailing dots or spaces, no DOS
 * device name, at most 255 UTF-8 bytes with the extension kept. Spaces and non-ASCII letters stay: they are what
 * people name files with. The name never becomes part of an object key.
 */
public final class Filename {

    public static final int MAX_BYTES = 255;
    public static final String FALLBACK = "file";

    private static final String WINDOWS_RESERVED = "<>:\"|?*";
    private static final Set<String> DEVICE_NAMES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");
    private static final int MAX_EXTENSION_CHARS = 16;

    private Filename() {}

    public static String sanitise(String raw) {
        if (raw == null) {
            return FALLBACK;
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder kept = new StringBuilder(name.length());
        boolean space = false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = kept.length() > 0;
                continue;
            }
            if (dropped(cp)) {
                continue;
            }
            if (space) {
                kept.append(' ');
                space = false;
            }
            kept.appendCodePoint(WINDOWS_RESERVED.indexOf(cp) >= 0 ? '_' : cp);
        }
        // Dropping characters can bring a base letter and a combining mark together: normalise once more.
        String clean = stripTrailingDots(Normalizer.normalize(kept, Normalizer.Form.NFC));
        if (clean.isEmpty() || clean.chars().allMatch(c -> c == '.')) {
            return FALLBACK;
        }
        int dot = clean.indexOf('.');
        String base = dot < 0 ? clean : clean.substring(0, dot);
        if (DEVICE_NAMES.contains(base.trim().toUpperCase(Locale.ROOT))) {
            clean = "_" + clean;
        }
        return truncate(clean);
    }

    private static boolean dropped(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }

    private static String stripTrailingDots(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == ' ')) {
            end--;
        }
        return name.substring(0, end);
    }

    /** Cuts the base name (never the extension, unless the extension alone is too long) to fit in MAX_BYTES. */
    private static String truncate(String name) {
        if (utf8Length(name) <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION_CHARS + 1 ? name.substring(dot) : "";
        String base = name.substring(0, name.length() - extension.length());
        int budget = MAX_BYTES - utf8Length(extension);
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            int bytes = utf8Length(new String(Character.toChars(cp)));
            if (used + bytes > budget) {
                break;
            }
            out.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        String cut = stripTrailingDots(out.toString()) + extension;
        return cut.isEmpty() ? FALLBACK : cut;
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
