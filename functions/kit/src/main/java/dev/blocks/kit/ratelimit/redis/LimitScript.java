package dev.blocks.kit.ratelimit.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The rate-limit script: the shared prelude, one file per algorithm and the driver, concatenated into one Lua
 * chunk so that one SHA serves every combination of layered rules. Its SHA-1 is computed here, so EVALSHA needs
 * no round trip to learn it.
 */
final class LimitScript {

    static final List<String> PARTS = List.of("prelude.lua", "token_bucket.lua", "gcra.lua", "fixed_window.lua",
            "sliding_window.lua", "sliding_log.lua", "decide.lua");

    private static final LimitScript INSTANCE = load();

    private final String source;
    private final String sha;

    private LimitScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    static LimitScript get() {
        return INSTANCE;
    }

    String source() {
        return source;
    }

    String sha() {
        return sha;
    }

    private static LimitScript load() {
        StringBuilder source = new StringBuilder();
        for (String part : PARTS) {
            String path = "/dev/blocks/kit/ratelimit/" + part;
            try (InputStream in = LimitScript.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing script resource " + path);
                }
                source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new LimitScript(source.toString());
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
