package io.aidesk.ingestion.crawl;

import io.aidesk.ingestion.crawl.AddressPolicy.Reach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every address form a crawl could be pointed at, and what the policy makes of it. */
class AddressPolicyTest {
    /** address, what it reaches, what the verdict says it is */
    private static final String TABLE = """
            8.8.8.8,                      PUBLIC,     8.8.8.8
            93.184.215.14,                PUBLIC,     93.184.215.14
            127.0.0.1,                    LOOPBACK,   loopback
            127.255.255.254,              LOOPBACK,   loopback
            0.0.0.0,                      NON_PUBLIC, this network
            10.1.2.3,                     NON_PUBLIC, private 10.0.0.0/8
            100.64.0.1,                   NON_PUBLIC, carrier-grade NAT
            169.254.169.254,              NON_PUBLIC, link-local 169.254.0.0/16
            172.16.0.1,                   NON_PUBLIC, private 172.16.0.0/12
            172.31.255.255,               NON_PUBLIC, private 172.16.0.0/12
            172.32.0.1,                   PUBLIC,     172.32.0.1
            192.0.0.8,                    NON_PUBLIC, IETF protocol assignments
            192.0.2.1,                    NON_PUBLIC, documentation
            192.168.1.1,                  NON_PUBLIC, private 192.168.0.0/16
            198.18.0.1,                   NON_PUBLIC, benchmarking
            198.51.100.7,                 NON_PUBLIC, documentation
            203.0.113.9,                  NON_PUBLIC, documentation
            224.0.0.1,                    NON_PUBLIC, multicast
            240.0.0.1,                    NON_PUBLIC, reserved
            255.255.255.255,              NON_PUBLIC, reserved
            ::1,                          LOOPBACK,   IPv6 loopback
            ::,                           NON_PUBLIC, unspecified
            ::ffff:169.254.169.254,       NON_PUBLIC, link-local 169.254.0.0/16
            ::ffff:127.0.0.1,             LOOPBACK,   loopback
            ::ffff:8.8.8.8,               PUBLIC,     8.8.8.8
            ::169.254.169.254,            NON_PUBLIC, IPv4-compatible 169.254.169.254 in link-local
            ::a9fe:a9fe,                  NON_PUBLIC, IPv4-compatible 169.254.169.254 in link-local
            ::127.0.0.1,                  LOOPBACK,   IPv4-compatible 127.0.0.1
            ::10.0.0.1,                   NON_PUBLIC, IPv4-compatible 10.0.0.1
            ::8.8.8.8,                    PUBLIC,     IPv4-compatible 8.8.8.8
            64:ff9b::a9fe:a9fe,           NON_PUBLIC, NAT64 (64:ff9b::/96) 169.254.169.254 in link-local
            64:ff9b::169.254.169.254,     NON_PUBLIC, NAT64 (64:ff9b::/96) 169.254.169.254
            64:ff9b::7f00:1,              LOOPBACK,   NAT64 (64:ff9b::/96) 127.0.0.1
            64:ff9b::c0a8:101,            NON_PUBLIC, NAT64 (64:ff9b::/96) 192.168.1.1
            64:ff9b::808:808,             PUBLIC,     NAT64 (64:ff9b::/96) 8.8.8.8
            64:ff9b:1::a9fe:a9fe,         NON_PUBLIC, local-use NAT64 (64:ff9b:1::/48) 169.254.169.254
            64:ff9b:1::808:808,           NON_PUBLIC, local-use NAT64 64:ff9b:1::/48
            2002:a9fe:a9fe::1,            NON_PUBLIC, 6to4 (2002::/16) 169.254.169.254
            2002:7f00:1::,                LOOPBACK,   6to4 (2002::/16) 127.0.0.1
            2002:c0a8:101::1,             NON_PUBLIC, 6to4 (2002::/16) 192.168.1.1
            2002:808:808::1,              PUBLIC,     6to4 (2002::/16) 8.8.8.8
            2001:0:4136:e378:8000:63bf:5601:5601, NON_PUBLIC, Teredo (2001::/32) client 169.254.169.254
            2001:0:4136:e378:8000:63bf:80ff:fffe, LOOPBACK, Teredo (2001::/32) client 127.0.0.1
            2001:0:4136:e378:8000:63bf:f7f7:f7f7, PUBLIC, Teredo (2001::/32) client 8.8.8.8
            2001:0:a00:1:8000:63bf:f7f7:f7f7, NON_PUBLIC, Teredo (2001::/32) server 10.0.0.1
            fc00::1,                      NON_PUBLIC, unique-local
            fd12:3456:789a::1,            NON_PUBLIC, unique-local
            fec0::1,                      NON_PUBLIC, site-local
            fe80::1,                      NON_PUBLIC, link-local fe80::/10
            febf::1,                      NON_PUBLIC, link-local fe80::/10
            ff02::1,                      NON_PUBLIC, multicast
            ff0e::1,                      NON_PUBLIC, multicast
            2001:db8::1,                  NON_PUBLIC, documentation
            3fff::1,                      NON_PUBLIC, documentation
            2001:2::1,                    NON_PUBLIC, IETF protocol assignment
            2001:10::1,                   NON_PUBLIC, IETF protocol assignment
            100::1,                       NON_PUBLIC, outside global unicast
            ::1:0:0:1,                    NON_PUBLIC, outside global unicast
            4000::1,                      NON_PUBLIC, outside global unicast
            2606:4700:4700::1111,         PUBLIC,     global unicast
            2a00:1450:4001:80e::200e,     PUBLIC,     global unicast
            """;

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = TABLE)
    void classifiesEveryFormByTheAddressItEmbeds(String address, Reach reach, String why) throws UnknownHostException {
        AddressPolicy.Verdict verdict = AddressPolicy.classify(InetAddress.getByName(address));

        assertThat(verdict.reach()).as(verdict.why()).isEqualTo(reach);
        assertThat(verdict.why()).contains(why);
    }

    /** The strict policy (the production default) fetches only what is public, whatever the spelling of the URL. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = TABLE)
    void theStrictPolicyFetchesOnlyPublicAddresses(String address, Reach reach, String why) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        String refusal = new AddressPolicy(false, false).refusal(URI.create("http://" + host + "/latest/meta-data"));

        if (reach == Reach.PUBLIC) {
            assertThat(refusal).isNull();
        } else {
            assertThat(refusal).as(address).isNotNull().startsWith("refused: ")
                    .contains(reach == Reach.LOOPBACK ? "loopback" : "private or reserved");
        }
    }


    @Test
    void allowingLoopbackAllowsNothingElse() {
        AddressPolicy demo = new AddressPolicy(true, false);

        assertThat(demo.refusal(URI.create("http://127.0.0.1:8080/"))).isNull();
        assertThat(demo.refusal(URI.create("http://[::1]/"))).isNull();
        assertThat(demo.refusal(URI.create("http://[::169.254.169.254]/"))).contains("private or reserved");
        assertThat(demo.refusal(URI.create("http://[64:ff9b::a9fe:a9fe]/"))).contains("private or reserved");
    }

    @Test
    void aHostIsVettedByEveryAddressItResolvesTo() throws UnknownHostException {
        AddressPolicy strict = new AddressPolicy(false, false);

        assertThat(strict.resolve("8.8.8.8")).extracting(InetAddress::getHostAddress).containsExactly("8.8.8.8");
        assertThatThrownBy(() -> strict.resolve("localhost"))
                .isInstanceOf(AddressPolicy.RefusedAddressException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> strict.resolve("[::ffff:a9fe:a9fe]"))
                .isInstanceOf(AddressPolicy.RefusedAddressException.class).hasMessageContaining("169.254.169.254");
        assertThat(strict.refusal(URI.create("ftp://8.8.8.8/"))).contains("only http and https");
    }
}
