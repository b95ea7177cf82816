package dev.drydock.scheduler;

import static dev.drydock.scheduler.SchedulingAlgorithmTest.node;
import static dev.drydock.scheduler.SchedulingAlgorithmTest.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's cache keeps each node's requested resources as informer events and its own bindings come: an
 * assumed pod counts until the informer shows it bound (then once) or its binding fails; a finished or deleted pod
 * counts no more; a snapshot does not change after it was taken.
 */
class SchedulerCacheTest {

    private final SchedulerCache cache = new SchedulerCache();

    private static ObjectNode boundTo(ObjectNode pod, String node) {
        ObjectNode bound = pod.deepCopy();
        Json.with(bound, "spec").put("nodeName", node);
        return bound;
    }

    private NodeInfo info(String name) {
        return cache.snapshot().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anAssumedPodCountsOnceUntilTheInformerShowsItBoundAndThenAsBound() {
        cache.setNode(node("a", "4", "8Gi", true));
        ObjectNode p = pod("500m", "1Gi");
        cache.updatePod("default/p", p, true);
        assertThat(info("a").pods()).isZero();

        cache.assume("default/p", p, "a");
        List<NodeInfo> taken = cache.snapshot();
        assertThat(cache.isAssumed("default/p")).isTrue();
        assertThat(info("a").requestedCpu()).isEqualTo(500);
        cache.updatePod("default/p", p, true); // the informer has not seen the binding yet
        assertThat(info("a").pods()).isEqualTo(1);

        cache.updatePod("default/p", boundTo(p, "a"), false);
        assertThat(cache.isAssumed("default/p")).isFalse();
        assertThat(info("a").pods()).isEqualTo(1);
        assertThat(info("a").requestedMemory()).isEqualTo(1L << 30);
        assertThat(taken.get(0).pods()).as("a snapshot stays as taken").isEqualTo(1);

        ObjectNode done = boundTo(p, "a");
        Json.with(done, "status").put("phase", "Succeeded");
        cache.updatePod("default/p", done, false);
        assertThat(info("a").pods()).isZero();
        assertThat(info("a").requestedCpu()).isZero();
    }

    @Test
    void aFailedBindingIsForgottenAndADeletedPodFreesItsNode() {
        cache.setNode(node("a", "4", "8Gi", true));
        cache.setNode(node("b", "4", "8Gi", true));
        ObjectNode p = pod("1", null);
        cache.assume("default/p", p, "a");
        cache.forget("default/p");
        assertThat(info("a").pods()).isZero();

        ObjectNode q = pod(null, null);
        cache.updatePod("default/q", boundTo(q, "b"), false);
        assertThat(info("b").nonZeroCpu()).as("counted as 100m in scores").isEqualTo(100);
        assertThat(info("b").requestedCpu()).as("and as nothing in fit").isZero();
        cache.forget("default/q"); // not assumed: stays
        assertThat(info("b").pods()).isEqualTo(1);
        cache.removePod("default/q");
        assertThat(info("b").pods()).isZero();
    }

    @Test
    void podsBoundToANodeTheInformerHasNotShownYetCountOnceItComes() {
        cache.updatePod("default/p", boundTo(pod("2", null), "late"), false);
        assertThat(cache.snapshot()).isEmpty();

        cache.setNode(node("late", "4", "8Gi", true));

        assertThat(info("late").requestedCpu()).isEqualTo(2000);
        cache.removeNode(node("late", "4", "8Gi", true));
        assertThat(cache.snapshot()).isEmpty();
    }
}
