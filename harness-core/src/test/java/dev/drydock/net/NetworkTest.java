package dev.drydock.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lossy links: how many messages a carrier loses, and that the same seed loses the same ones. */
class NetworkTest {

    private final Network network = new Network();

    @Test
    void aLossyLinkLosesAboutItsShareOfMessagesBothWaysAndOnlyOnItsParty() {
        network.lossy("etcd-1", 0.3);
        Random random = new Random(1);

        int lost = 0;
        int back = 0;
        for (int i = 0; i < 10_000; i++) {
            lost += network.drops("etcd-0", "etcd-1", random) ? 1 : 0;
            back += network.drops("etcd-1", "etcd-2", random) ? 1 : 0;
        }

        assertThat(lost).isBetween(2_700, 3_300);
        assertThat(back).isBetween(2_700, 3_300);
        for (int i = 0; i < 1_000; i++) {
            assertThat(network.drops("etcd-0", "etcd-2", random)).as("a link between two other parties").isFalse();
        }
    }

    @Test
    void aMessageBetweenTwoLossyPartiesRunsBothRisks() {
        network.lossy("a", 0.5);
        network.lossy("b", 0.5);
        Random random = new Random(2);

        int lost = 0;
        for (int i = 0; i < 10_000; i++) {
            lost += network.drops("a", "b", random) ? 1 : 0;
        }

        assertThat(lost).isBetween(7_200, 7_800); // 1 - 0.5 * 0.5
    }

    @Test
    void theSameSeedLosesTheSameMessagesAndNoLossDrawsNothing() {
        network.lossy("a", 0.4);
        assertThat(losses(new Random(9))).isEqualTo(losses(new Random(9)));

        Random untouched = new Random(3);
        network.lossy("a", 0); // lifted
        for (int i = 0; i < 100; i++) {
            assertThat(network.drops("a", "b", untouched)).isFalse();
        }
        assertThat(untouched.nextLong()).as("no draw without loss").isEqualTo(new Random(3).nextLong());
    }

    @Test
    void aCertainLossDropsEveryMessageAndHealLiftsIt() {
        network.lossy("a", 1);
        Random random = new Random(4);
        for (int i = 0; i < 100; i++) {
            assertThat(network.drops("b", "a", random)).isTrue();
        }

        network.heal();

        for (int i = 0; i < 100; i++) {
            assertThat(network.drops("b", "a", random)).isFalse();
        }
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefused() {
        for (double bad : new double[] {-0.1, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> network.lossy("a", bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a link's loss probability must be between 0 and 1, got " + bad);
        }
        assertThat(network.drops("a", "b", new Random(5))).as("nothing was made lossy").isFalse();
    }

    @Test
    void aPartyRunningOnAHostIsCutWheneverItsHostsLinkIsAndStillByItsOwnRules() {
        network.runOn("client:a", "node-1");
        assertThat(network.hostOf("client:a")).isEqualTo("node-1");
        assertThat(network.reachable("client:a", "apiserver")).isTrue();

        LinkRule[] partition = {LinkRule.cut(List.of("node-1"), List.of("apiserver")),
                LinkRule.cut(List.of("apiserver"), List.of("node-1"))};
        network.add(partition);
        assertThat(network.reachable("client:a", "apiserver")).as("its way there crosses node-1's").isFalse();
        assertThat(network.reachable("apiserver", "client:a")).as("and its way back").isFalse();
        assertThat(network.reachable("client:b", "apiserver")).as("a client on no node").isTrue();
        network.remove(partition);
        assertThat(network.reachable("client:a", "apiserver")).isTrue();

        network.isolate("node-1");
        assertThat(network.reachable("client:a", "apiserver")).isFalse();
        network.rejoin("node-1");
        network.isolate("client:a");
        assertThat(network.reachable("client:a", "apiserver")).as("its own rules still apply").isFalse();
        assertThat(network.reachable("node-1", "apiserver")).as("and are not its host's").isTrue();
        network.heal();
        assertThat(network.hostOf("client:a")).as("where a party runs is no fault to heal").isEqualTo("node-1");

        network.runOn("client:a", "node-2");
        network.isolate("node-1");
        assertThat(network.reachable("client:a", "apiserver")).as("moved off node-1").isTrue();
        assertThatThrownBy(() -> network.runOn("node-1", "node-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a party cannot run on itself: node-1");
    }

    private List<Boolean> losses(Random random) {
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(network.drops("a", "b", random));
        }
        return out;
    }
}
