package dev.drydock.api;

import static dev.drydock.api.EventsV1Test.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.EventsV1Kinds;
import dev.drydock.base.Clock;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Resource;
import dev.drydock.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Events live the event TTL after their last write, on a store lease, as with kube-apiserver's --event-ttl. */
class EventTtlTest extends ApiServerTestSupport {

    // Long enough that a loaded machine's pauses (a second here and there) do not outlast it between two writes
    private static final Duration TTL = Duration.ofMillis(1500);

    private static ObjectNode coreEvent(String name) {
        return parse("""
                {"metadata": {"name": "%s"}, "involvedObject": {"kind": "Pod", "name": "p"},
                 "reason": "Started", "message": "started", "type": "Normal", "count": 1}
                """.formatted(name));
    }

    @Test
    void eventsOfBothGroupsVanishTheirTtlAfterTheyWereWrittenAndOtherObjectsStay() {
        api.eventTtl(TTL);
        client.create(Resource.EVENTS, NS, coreEvent("e1"));
        client.create(EventsV1Kinds.EVENTS, NS, parse("""
                {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e2"},
                 "eventTime": "2026-11-30T10:00:00.000000Z", "reportingController": "example.com/ctl",
                 "reportingInstance": "ctl-1", "action": "Scale", "reason": "Scaled", "type": "Normal",
                 "note": "scaled up", "regarding": {"kind": "Deployment", "name": "web", "namespace": "default"}}
                """));
        assertThat(names(list(Resource.EVENTS, NS, Map.of()))).containsExactlyInAnyOrder("e1", "e2");

        eventually().until(() -> names(list(Resource.EVENTS, NS, Map.of())).isEmpty());

        assertThat(names(list(EventsV1Kinds.EVENTS, NS, Map.of()))).isEmpty();
        assertThat(client.get(NAMESPACES, null, NS)).isNotNull();
    }

    @Test
    void anEventWrittenAgainLivesItsTtlFromItsLastWrite() {
        api.eventTtl(TTL);
        client.create(Resource.EVENTS, NS, coreEvent("e1"));

        // Updated more often than its TTL, it outlives several TTLs; then, left alone, it goes.
        await().during(TTL.multipliedBy(3)).atMost(Duration.ofSeconds(10)).pollInterval(TTL.dividedBy(4))
                .until(() -> {
                    ObjectNode e = client.get(Resource.EVENTS, NS, "e1");
                    e.put("count", e.path("count").asInt() + 1);
                    client.update(Resource.EVENTS, e);
                    return true;
                });
        assertThat(client.get(Resource.EVENTS, NS, "e1").path("count").asInt()).isGreaterThan(3);
        eventually().until(() -> names(list(Resource.EVENTS, NS, Map.of())).isEmpty());
    }

    @Test
    void eventsWrittenWithinTheReuseWindowShareALeaseGrantedThatMuchLonger() {
        List<Duration> grants = new CopyOnWriteArrayList<>();
        Store counting = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("leaseGrant")) {
                        grants.add((Duration) args[args.length - 1]);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ApiServer server = new ApiServer(counting, KindRegistry.builtIn(), Clock.SYSTEM, timer, 42L, watchLanes);
        server.eventTtl(Duration.ofMinutes(20));
        KubeClient c = new KubeClient(server);
        try {
            for (int i = 0; i < 5; i++) {
                c.create(Resource.EVENTS, NS, coreEvent("e" + i));
            }
        } finally {
            server.close();
        }

        // kube's lease manager: a window of 5% of the TTL (at most a minute), added to the lease's TTL.
        assertThat(grants).containsExactly(Duration.ofMinutes(21));
    }
}
