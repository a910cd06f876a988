package io.aidesk.ingestion.crawl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The one place that decides what a crawler may connect to for a tenant (SSRF): http(s) only, and only addresses
 * that are public. Every IPv6 form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is judged
 * by the IPv4 address it embeds; every other IPv6 address is public only inside global unicast 2000::/3 and outside
 * its special ranges. The fetcher connects only to the addresses {@link #resolve} vetted, so a DNS answer that
 * changes between the check and the connection (rebinding) is never used.
 */
final class AddressPolicy {
    /** Where an address leads. */
    enum Reach { PUBLIC, LOOPBACK, NON_PUBLIC }

    /** @param why what the address is, in words, for the refusal a source's sync reports */
    record Verdict(Reach reach, String why) {
    }

    /** A host that resolves to nothing the policy allows; the message is the refusal. */
    static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String message) {
            super(message);
        }
    }

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
            return "refused: only http and https URLs are allowed";
        }
        if (url.getHost() == null) {
            return "refused: the URL has no host";
        }
        try {
            resolve(url.getHost());
            return null;
        } catch (RefusedAddressException e) {
            return e.getMessage();
        } catch (UnknownHostException e) {
            return "host not found: " + url.getHost();
        }
    }

    /**
     * Resolves a host and answers its addresses when every one of them is allowed; one address that is not refuses
     * the host (a name that answers a public and a private address is not crawled).
     */
    InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = InetAddress.getAllByName(bare);
        for (InetAddress address : addresses) {
            Verdict verdict = classify(address);
            if (verdict.reach() == Reach.LOOPBACK && !allowLoopback) {
                throw new RefusedAddressException("refused: " + host + " is a loopback address (" + verdict.why() + ")");
            }
            if (verdict.reach() == Reach.NON_PUBLIC && !allowPrivate) {
                throw new RefusedAddressException("refused: " + host + " is a private or reserved address ("
                        + verdict.why() + ")");
            }
        }
        return addresses;
    }

    /** What an address is, IPv4 or any IPv6 form, judged by the IPv4 address it embeds when it embeds one. */
    static Verdict classify(InetAddress address) {
        byte[] raw = address.getAddress();
        return address instanceof Inet4Address ? ipv4(raw, 0, "") : ipv6(raw);
    }

    private static Verdict ipv6(byte[] a) {
        if (zero(a, 0, 10)) {
            if ((a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
                return ipv4(a, 12, "IPv4-mapped ");
            }
            if (zero(a, 10, 2)) {
                if (zero(a, 12, 3) && (a[15] == 0 || a[15] == 1)) {
                    return a[15] == 0 ? new Verdict(Reach.NON_PUBLIC, "the unspecified address ::")
                            : new Verdict(Reach.LOOPBACK, "the IPv6 loopback ::1");
                }
                return ipv4(a, 12, "IPv4-compatible ");
            }
        }
        int first = u16(a, 0);
        int second = u16(a, 2);
        if (first == 0x0064 && second == 0xff9b && zero(a, 4, 8)) {
            return ipv4(a, 12, "NAT64 (64:ff9b::/96) ");
        }
        if (first == 0x0064 && second == 0xff9b && u16(a, 4) == 0x0001) {
            Verdict embedded = ipv4(a, 12, "local-use NAT64 (64:ff9b:1::/48) ");
            return new Verdict(Reach.NON_PUBLIC, embedded.reach() == Reach.PUBLIC
                    ? "local-use NAT64 64:ff9b:1::/48" : embedded.why());
        }
        if (first == 0x2002) {
            return ipv4(a, 2, "6to4 (2002::/16) ");
        }
        if (first == 0x2001 && second == 0x0000) {
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~a[12 + i];
            }
            Verdict server = ipv4(a, 4, "Teredo (2001::/32) server ");
            return server.reach() != Reach.PUBLIC ? server : ipv4(client, 0, "Teredo (2001::/32) client ");
        }
        if ((first & 0xfe00) == 0xfc00) {
            return new Verdict(Reach.NON_PUBLIC, "unique-local fc00::/7");
        }
        if ((first & 0xffc0) == 0xfec0) {
            return new Verdict(Reach.NON_PUBLIC, "site-local fec0::/10");
        }
        if ((first & 0xffc0) == 0xfe80) {
            return new Verdict(Reach.NON_PUBLIC, "link-local fe80::/10");
        }
        if ((first & 0xff00) == 0xff00) {
            return new Verdict(Reach.NON_PUBLIC, "multicast ff00::/8");
        }
        if (first == 0x2001 && second == 0x0db8 || first == 0x3fff && (second & 0xf000) == 0) {
            return new Verdict(Reach.NON_PUBLIC, "documentation 2001:db8::/32 or 3fff::/20");
        }
        if (first == 0x2001 && second < 0x0200) {
            return new Verdict(Reach.NON_PUBLIC, "IETF protocol assignment 2001::/23");
        }
        if ((first & 0xe000) != 0x2000) {
            // 100::/64 discard, 5f00::/16 segment routing and everything else outside global unicast
            return new Verdict(Reach.NON_PUBLIC, "outside global unicast 2000::/3");
        }
        return new Verdict(Reach.PUBLIC, "global unicast");
    }

    private static Verdict ipv4(byte[] a, int at, String form) {
        int b0 = a[at] & 0xff;
        int b1 = a[at + 1] & 0xff;
        int b2 = a[at + 2] & 0xff;
        int b3 = a[at + 3] & 0xff;
        String v4 = form + b0 + "." + b1 + "." + b2 + "." + b3;
        if (b0 == 127) {
            return new Verdict(Reach.LOOPBACK, v4 + " in loopback 127.0.0.0/8");
        }
        String range = b0 == 0 ? "this network 0.0.0.0/8"
                : b0 == 10 ? "private 10.0.0.0/8"
                : b0 == 100 && b1 >= 64 && b1 <= 127 ? "carrier-grade NAT 100.64.0.0/10"
                : b0 == 169 && b1 == 254 ? "link-local 169.254.0.0/16"
                : b0 == 172 && b1 >= 16 && b1 <= 31 ? "private 172.16.0.0/12"
                : b0 == 192 && b1 == 0 && b2 == 0 ? "IETF protocol assignments 192.0.0.0/24"
                : b0 == 192 && b1 == 0 && b2 == 2 ? "documentation 192.0.2.0/24"
                : b0 == 192 && b1 == 88 && b2 == 99 ? "6to4 relay anycast 192.88.99.0/24"
                : b0 == 192 && b1 == 168 ? "private 192.168.0.0/16"
                : b0 == 198 && (b1 == 18 || b1 == 19) ? "benchmarking 198.18.0.0/15"
                : b0 == 198 && b1 == 51 && b2 == 100 ? "documentation 198.51.100.0/24"
                : b0 == 203 && b1 == 0 && b2 == 113 ? "documentation 203.0.113.0/24"
                : b0 >= 224 && b0 <= 239 ? "multicast 224.0.0.0/4"
                : b0 >= 240 ? "reserved 240.0.0.0/4"
                : null;
        return range == null ? new Verdict(Reach.PUBLIC, v4) : new Verdict(Reach.NON_PUBLIC, v4 + " in " + range);
    }

    private static boolean zero(byte[] a, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] a, int at) {
        return (a[at] & 0xff) << 8 | (a[at + 1] & 0xff);
    }
}
