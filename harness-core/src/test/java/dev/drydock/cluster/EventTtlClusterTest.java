package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.base.Timings;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cluster's Events expire {@link Timings#eventTTL()} after their last write, on the replicated store's leases. */
class EventTtlClusterTest {

    @Test
    void anEventVanishesTheEventTtlAfterItWasWrittenAcrossALeaderIsolation() {
        Timings t = Timings.compressed();
        Timings shortTtl = t.with("eventTTL", Duration.ofSeconds(1));
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly().timings(shortTtl))) {
            KubeClient client = cluster.client();
            client.create(Resource.EVENTS, "default", Json.parseTrusted("""
                    {"metadata": {"name": "e1"}, "involvedObject": {"kind": "Pod", "name": "p"},
                     "reason": "Started", "message": "started", "type": "Normal"}
                    """.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(client.items(Resource.EVENTS, "default", null)).extracting(Json::name).containsExactly("e1");
            StoreHandle store = cluster.store();

            int old = store.isolateLeader();
            await().atMost(Duration.ofSeconds(20)).until(() -> store.leader() >= 0 && store.leader() != old);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> client.items(Resource.EVENTS, "default", null).isEmpty());
            store.heal();
            assertThat(client.items(Resource.EVENTS, "default", null)).isEmpty();
        }
    }
}
