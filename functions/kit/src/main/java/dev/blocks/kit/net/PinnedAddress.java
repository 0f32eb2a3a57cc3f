package dev.blocks.kit.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A host resolved once, with every address checked. Outbound connections go to {@link #address()} — the
 * address that was checked — so a DNS answer that changes between the check and the connection (DNS
 * rebinding) cannot redirect the request inside the network.
 */
public record PinnedAddress(String host, InetAddress address) {

    /** Resolves {@code host}; refuses it when ANY of its addresses is not public (unless allowed). */
    public static PinnedAddress resolve(String host, boolean allowPrivate, HostResolver resolver) throws OutboundUrl.Refused {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new OutboundUrl.Refused("the host " + host + " does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new OutboundUrl.Refused("the host " + host + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (!AddressPolicy.isPublic(address)) {
                    throw new OutboundUrl.Refused("the host " + host + " resolves to " + address.getHostAddress()
                            + ", which is not a public address");
                }
            }
        }
        return new PinnedAddress(host, addresses.get(0));
    }

    /** DNS, replaceable in tests. */
    @FunctionalInterface
    public interface HostResolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }
}
