package io.aidesk.ingestion.crawl;

import org.apache.hc.client5.http.DnsResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The crawler's address policy for AI Desk's other calls out to addresses a tenant gave (webhook endpoints): the same
 * refusals, and a resolver that connects only to the addresses it vetted.
 */
public final class OutboundAddresses {
    private final AddressPolicy policy;

    public OutboundAddresses(CrawlerSettings settings) {
        this.policy = new AddressPolicy(settings.allowLoopback(), settings.allowPrivate());
    }

    /** @return null when the URL may be called, otherwise why not, in words */
    public String refusal(URI url) {
        return policy.refusal(url);
    }

    /** For an HTTP client's connection manager: what was checked is what is connected to. */
    public DnsResolver dns() {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return policy.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return resolve(host)[0].getCanonicalHostName();
            }
        };
    }

    /** Why a call failed, in words for the person reading a delivery log (not the exception's class name). */
    public static String inWords(IOException e) {
        if (e instanceof AddressPolicy.RefusedAddressException) {
            return e.getMessage();
        }
        if (e instanceof SocketTimeoutException) {
            return "the server did not answer in time";
        }
        return Fetcher.inWords(e);
    }
}
