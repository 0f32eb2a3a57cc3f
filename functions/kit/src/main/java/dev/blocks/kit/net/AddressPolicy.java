package dev.blocks.kit.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Decides whether an IP address is a public Internet destination. Everything a server-side request could abuse
 * to reach inside a network is refused: loopback, private (RFC 1918, IPv6 ULA), link-local (incl. the cloud
 * metadata service 169.254.169.254), carrier-grade NAT, this-network, multicast, broadcast, reserved and
 * documentation ranges, and IPv6 forms that embed an IPv4 address (mapped, compatible, 6to4, NAT64), which are
 * judged by the address they embed.
 */
public final class AddressPolicy {

    private AddressPolicy() {}

    public static boolean isPublic(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return isPublicV4(v4.getAddress());
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && b.length == 16) {
            return isPublicV6(b);
        }
        return false;
    }

    /** Why an address is refused, for error messages; null when it is public. */
    public static String refusal(InetAddress address) {
        return isPublic(address) ? null : address.getHostAddress() + " is not a public address";
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0 || a0 == 10 || a0 == 127) {
            return false; // this network, private, loopback
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return false; // carrier-grade NAT 100.64/10
        }
        if (a0 == 169 && a1 == 254) {
            return false; // link-local, cloud metadata
        }
        if (a0 == 172 && a1 >= 16 && a1 <= 31) {
            return false;
        }
        if (a0 == 192 && a1 == 168) {
            return false;
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return false; // IETF protocol assignments, TEST-NET-1
        }
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return false; // benchmarking
        }
        if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return false; // documentation
        }
        return a0 < 224; // multicast 224/4, reserved 240/4 and broadcast
    }

    private static boolean isPublicV6(byte[] b) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && b[10] == 0 && b[11] == 0) {
            // :: and ::1, or an IPv4-compatible address ::a.b.c.d
            boolean allZero = true;
            for (int i = 12; i < 16; i++) {
                allZero &= b[i] == 0;
            }
            if (allZero || (b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 1)) {
                return false;
            }
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // IPv4-mapped
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return false; // unique local fc00::/7 (includes the EC2 metadata fd00:ec2::254)
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return false; // link-local fe80::/10
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return false; // deprecated site-local fec0::/10
        }
        if (first == 0xff) {
            return false; // multicast
        }
        if (first == 0x20 && second == 0x02) {
            return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4 embeds an IPv4 address
        }
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // NAT64 64:ff9b::/96
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
            return false; // documentation 2001:db8::/32
        }
        if (first == 0x01 && second == 0x00 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return false; // discard-only 100::/64
        }
        return (first & 0xe0) == 0x20; // global unicast 2000::/3 only
    }

    /** Parses an IP literal without any DNS lookup; null when {@code host} is not one. */
    static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v6 = h.indexOf(':') >= 0;
        boolean v4 = !v6 && h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : h.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(h); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
