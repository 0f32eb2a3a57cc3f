package dev.blocks.localcloud.lambda;

import java.security.SecureRandom;
import java.util.HexFormat;

/** X-Ray trace headers in the form Lambda hands to a runtime ({@code Root=1-<epoch hex>-<96 bits>;...}). */
final class TraceIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceIds() {
    }

    static String next() {
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        RANDOM.nextBytes(root);
        RANDOM.nextBytes(parent);
        String epoch = Long.toHexString(System.currentTimeMillis() / 1000);
        return "Root=1-" + epoch + "-" + HexFormat.of().formatHex(root)
                + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
    }
}
