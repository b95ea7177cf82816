package dev.drydock.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The service CIDR and node port range, and the order in which free values are given out. */
class ServiceRangesTest {

    @Test
    void theRangeExcludesItsNetworkAndBroadcastAddresses() {
        assertThat(ServiceRanges.inIPRange(NetValidation.ipv4("10.96.0.0"))).isFalse();
        assertThat(ServiceRanges.inIPRange(NetValidation.ipv4("10.96.0.1"))).isTrue();
        assertThat(ServiceRanges.inIPRange(NetValidation.ipv4("10.111.255.254"))).isTrue();
        assertThat(ServiceRanges.inIPRange(NetValidation.ipv4("10.111.255.255"))).isFalse();
        assertThat(ServiceRanges.inIPRange(NetValidation.ipv4("10.112.0.1"))).isFalse();
        assertThat(ServiceRanges.kubernetesServiceIP()).isEqualTo("10.96.0.1");
    }

    @Test
    void chosenAddressesComeFromTheUpperBandThenTheLowerButNeverTheKubernetesServices() {
        // Only the lower band free: the choice falls to its first free address after 10.96.0.1.
        String ip = ServiceRanges.nextIP("default/web", a -> a < NetValidation.ipv4("10.96.1.1"));
        assertThat(ip).isEqualTo("10.96.0.2");
        assertThat(ServiceRanges.nextIP("default/web", a -> a == NetValidation.ipv4("10.96.0.1"))).isNull();
        assertThat(ServiceRanges.nextIP("default/web", a -> true)).isEqualTo(
                ServiceRanges.nextIP("default/web", a -> true));
    }

    @Test
    void nodePortsComeFromTheUpperBandUntilItIsFull() {
        Set<Long> taken = new HashSet<>();
        for (int i = 0; i < 2768; i++) {
            int port = ServiceRanges.nextNodePort("default/np", i, p -> !taken.contains(p));
            assertThat(port).isBetween(30000, 32767);
            if (i < 2682) {
                assertThat(port).as("port %d of the upper band", i).isGreaterThanOrEqualTo(30086);
            }
            taken.add((long) port);
        }
        assertThat(ServiceRanges.nextNodePort("default/np", 0, p -> !taken.contains(p))).isEqualTo(-1);
    }

    @Test
    void ipv4AddressesAreReadAsGoReadsThem() {
        assertThat(NetValidation.ipv4("10.96.0.1")).isEqualTo(0x0A600001L);
        assertThat(NetValidation.ipv4("010.096.000.001")).isEqualTo(0x0A600001L); // ParseIPSloppy: leading zeros
        assertThat(NetValidation.ipv4("10.96.0")).isEqualTo(-1);
        assertThat(NetValidation.ipv4("10.96.0.256")).isEqualTo(-1);
        assertThat(NetValidation.isIPv6("fd00::1")).isTrue();
        assertThat(NetValidation.isIPv6("1:2")).isFalse();
        assertThat(NetValidation.isValidIP("example.com")).isFalse();
    }
}
