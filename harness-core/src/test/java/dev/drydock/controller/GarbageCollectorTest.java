package dev.drydock.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.ManualClock;
import dev.drydock.base.Timers;
import dev.drydock.base.Timings;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The garbage collector over any kind, with kube's three propagation policies. It runs on a manual clock that each
 * wait advances, so its retries come as soon as the test looks again.
 */
class GarbageCollectorTest {

    static final Resource LEASES = Resource.LEASES;
    static final Resource WIDGETS = new Resource("example.com", "v1", "widgets", "Widget", true);
    static final String NS = "default";

    final ManualClock clock = new ManualClock();
    /** Failed syncs of the collector: each one a retry it scheduled on the clock. */
    final AtomicInteger failedSyncs = new AtomicInteger();
    Timers timers;
    ScheduledThreadPoolExecutor apiTimer;
    ExecutorService workers;
    MemoryStore store;
    ApiServer api;
    KubeClient client;
    ControllerManager controllers;

    @BeforeEach
    void start() {
        workers = Executors.newFixedThreadPool(2, r -> new Thread(r, "drydock-gc-worker"));
        timers = Timers.create("gc", clock, workers);
        apiTimer = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "drydock-gc-api-timer"));
        store = new MemoryStore("drydock-gc-store");
        api = new ApiServer(store, KindRegistry.builtIn(), clock, apiTimer, 7L, workers);
        client = new KubeClient(api);
        ObjectNode ns = Json.object();
        Json.with(ns, "metadata").put("name", NS);
        client.create(Resource.NAMESPACES, null, ns);
        controllers = new ControllerManager(client, new ComponentContext("gc", 7L, Timings.compressed(), timers,
                workers, (queue, key, error, repeat) -> {
                    if (queue.equals("garbage-collector")) {
                        failedSyncs.incrementAndGet();
                    }
                }));
        controllers.start();
    }

    @AfterEach
    void stop() {
        controllers.close();
        api.close();
        store.close();
        timers.close();
        apiTimer.shutdownNow();
        workers.shutdownNow();
    }

    /**
     * Awaits, moving the cluster's clock a second at each look, so that whatever waits for a retry gets it within a
     * few looks (the collector's back-off doubles from 5 ms: its tenth retry comes 2.5 s after its ninth).
     */
    ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .conditionEvaluationListener(condition -> clock.advance(Duration.ofSeconds(1)));
    }

    ObjectNode lease(String name) {
        ObjectNode lease = Json.object();
        Json.with(lease, "metadata").put("name", name);
        return client.create(LEASES, NS, lease);
    }

    ObjectNode dependent(String name, ObjectNode owner, boolean block, String... finalizers) {
        ObjectNode lease = Json.object();
        ObjectNode meta = Json.with(lease, "metadata").put("name", name);
        ObjectNode ref = meta.putArray("ownerReferences").addObject();
        ref.put("apiVersion", owner.path("apiVersion").asText()).put("kind", owner.path("kind").asText())
                .put("name", Json.name(owner)).put("uid", Json.uid(owner));
        if (block) {
            ref.put("blockOwnerDeletion", true);
        }
        if (finalizers.length > 0) {
            var f = meta.putArray("finalizers");
            for (String s : finalizers) {
                f.add(s);
            }
        }
        return client.create(LEASES, NS, lease);
    }

    @Test
    void backgroundDeletesDependentsAfterTheOwner() {
        ObjectNode owner = lease("owner");
        dependent("dep", owner, false);

        client.delete(LEASES, NS, "owner");

        assertThat(client.find(LEASES, NS, "owner")).isNull();
        eventually().untilAsserted(() -> assertThat(client.find(LEASES, NS, "dep")).isNull());
    }

    @Test
    void foregroundKeepsTheOwnerUntilBlockingDependentsAreGone() {
        ObjectNode owner = lease("owner");
        dependent("held", owner, true, "example.com/hold");

        client.delete(LEASES, NS, "owner", "Foreground", null);

        ObjectNode deleting = client.get(LEASES, NS, "owner");
        assertThat(Json.isDeleting(deleting)).isTrue();
        assertThat(deleting.at("/metadata/finalizers").toString()).contains("foregroundDeletion");
        eventually().untilAsserted(() -> assertThat(Json.isDeleting(client.get(LEASES, NS, "held"))).isTrue());
        assertThat(client.find(LEASES, NS, "owner")).as("blocked by its dependent").isNotNull();

        client.modify(LEASES, NS, "held", obj -> Json.with(obj, "metadata").remove("finalizers"));

        eventually().untilAsserted(() -> assertThat(client.find(LEASES, NS, "owner")).isNull());
    }

    @Test
    void orphanLeavesDependentsWithoutTheReference() {
        ObjectNode owner = lease("owner");
        dependent("dep", owner, true);

        client.delete(LEASES, NS, "owner", "Orphan", null);

        eventually().untilAsserted(() -> assertThat(client.find(LEASES, NS, "owner")).isNull());
        ObjectNode dep = client.get(LEASES, NS, "dep");
        assertThat(dep.path("metadata").has("ownerReferences")).isFalse();
    }

    @Test
    void aReferenceToAnOwnerThatIsGoneIsRemovedWhileAnotherOwnerLives() {
        ObjectNode alive = lease("alive");
        ObjectNode ghost = lease("ghost");
        ObjectNode dep = Json.object();
        ObjectNode meta = Json.with(dep, "metadata").put("name", "dep");
        var refs = meta.putArray("ownerReferences");
        for (ObjectNode o : new ObjectNode[] {alive, ghost}) {
            refs.addObject().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease")
                    .put("name", Json.name(o)).put("uid", Json.uid(o));
        }
        client.create(LEASES, NS, dep);

        client.delete(LEASES, NS, "ghost");

        eventually().untilAsserted(() -> assertThat(client.get(LEASES, NS, "dep")
                .at("/metadata/ownerReferences").size()).isEqualTo(1));
        assertThat(client.get(LEASES, NS, "dep").at("/metadata/ownerReferences/0/name").asText())
                .isEqualTo("alive");
    }

    @Test
    void aCustomResourceDefinedAfterStartOwnsDependentsToo() {
        client.create(Resource.CUSTOM_RESOURCE_DEFINITIONS, null, parse("""
                {"metadata": {"name": "widgets.example.com"},
                 "spec": {"group": "example.com", "scope": "Namespaced",
                   "names": {"plural": "widgets", "kind": "Widget"},
                   "versions": [{"name": "v1", "served": true, "storage": true,
                     "schema": {"openAPIV3Schema": {"type": "object",
                                                    "x-kubernetes-preserve-unknown-fields": true}}}]}}
                """));
        ObjectNode widget = client.create(WIDGETS, NS, parse("""
                {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
                """));
        dependent("dep", widget, false);

        client.delete(WIDGETS, NS, "w");

        eventually().untilAsserted(() -> assertThat(client.find(LEASES, NS, "dep")).isNull());
    }

    @Test
    void aDependentOfAKindNotDiscoveredYetIsKeptUntilTheKindIsKnown() {
        ObjectNode gadget = parse("""
                {"apiVersion": "example.com/v1", "kind": "Gadget",
                 "metadata": {"name": "g", "uid": "6d1b5e2a-0000-4000-8000-000000000001"}}
                """);
        dependent("kept", gadget, false);

        // kube's collector does not call an owner of a kind it cannot resolve absent: it tries again, with back-off
        for (int retries = 1; retries <= 8; retries++) {
            int tried = retries;
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> failedSyncs.get() >= tried);
            assertThat(client.find(LEASES, NS, "kept")).isNotNull();
            clock.advance(Duration.ofSeconds(1)); // past the retry's back-off (5 ms doubled: 640 ms at the 8th)
        }

        client.create(Resource.CUSTOM_RESOURCE_DEFINITIONS, null, parse("""
                {"metadata": {"name": "gadgets.example.com"},
                 "spec": {"group": "example.com", "scope": "Namespaced",
                   "names": {"plural": "gadgets", "kind": "Gadget"},
                   "versions": [{"name": "v1", "served": true, "storage": true,
                     "schema": {"openAPIV3Schema": {"type": "object",
                                                    "x-kubernetes-preserve-unknown-fields": true}}}]}}
                """));

        // now the kind resolves, and no Gadget of that uid exists: the dependent is dangling
        eventually().untilAsserted(() -> assertThat(client.find(LEASES, NS, "kept")).isNull());
    }

    static ObjectNode parse(String json) {
        return Json.parseTrusted(json.getBytes(StandardCharsets.UTF_8));
    }
}
