package dev.blocks.kit.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * What a per-client limit counts a client address as. An IPv4 address is one client. An IPv6 client is its /64:
 * providers hand a whole /64 (often more) to one subscriber, and any host in it picks new addresses at will
 * (privacy extensions), so counting single IPv6 addresses would give one client 2^64 budgets. An IPv4-mapped IPv6
 * address ({@code ::ffff:192.0.2.1}) is the IPv4 client it maps. Anything that is not an IP literal (an empty
 * source, a test's made-up value) is its own key, unchanged. No DNS lookup ever happens.
 */
public final class ClientIp {

    /** Characters an IPv6 literal may hold; anything else is not parsed (the JDK would try DNS for it). */
    private static final Pattern V6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    private ClientIp() {}

    /**
     * The client key of {@code address}: {@code 192.0.2.1} for IPv4 (and IPv4-mapped IPv6), {@code 2001:db8:1:2::/64}
     * for every IPv6 address of that /64, else the input itself (null stays null).
     */
    public static String key(String address) {
        if (address == null || address.isEmpty()) {
            return address;
        }
        boolean v6 = address.indexOf(':') >= 0;
        if (v6 && !V6_CHARACTERS.matcher(address).matches()) {
            return address;
        }
        InetAddress parsed = AddressPolicy.literal(address);
        if (parsed instanceof Inet4Address v4) {
            return v4.getHostAddress();
        }
        if (parsed instanceof Inet6Address) {
            byte[] b = parsed.getAddress();
            if (isV4Mapped(b)) {
                return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            }
            StringBuilder prefix = new StringBuilder();
            for (int group = 0; group < 4; group++) {
                prefix.append(Integer.toHexString(((b[2 * group] & 0xff) << 8) | (b[2 * group + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
