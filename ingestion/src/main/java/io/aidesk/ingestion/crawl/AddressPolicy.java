package io.aidesk.ingestion.crawl;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** Refuses what a crawler must never fetch for a tenant: non-http(s) schemes and non-public addresses (SSRF). */
final class AddressPolicy {
    private final boolean allowLoopback;
    private final boolean allowPrivate;

    AddressPolicy(boolean allowLoopback, boolean allowPrivate) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
    }

    /** @return null when the URL may be fetched, otherwise the reason it may not */
    String refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "refused: only http and https URLs are crawled";
        }
        if (url.getHost() == null) {
            return "refused: the URL has no host";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return "host not found: " + url.getHost();
        }
        for (InetAddress address : addresses) {
            if (address.isLoopbackAddress()) {
                if (!allowLoopback) {
                    return "refused: " + url.getHost() + " is a loopback address";
                }
            } else if (!allowPrivate && !isPublic(address)) {
                return "refused: " + url.getHost() + " is a private or reserved address";
            }
        }
        return null;
    }

    private static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] raw = address.getAddress();
        if (address instanceof Inet6Address) {
            return (raw[0] & 0xfe) != 0xfc; // fc00::/7 unique local
        }
        int first = raw[0] & 0xff;
        int second = raw[1] & 0xff;
        return !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                && !(first == 0) && !(first >= 224);
    }
}
