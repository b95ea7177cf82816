package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod's life as the kubelet runs it on the fake runtime, seen as a client sees it: init containers in order and
 * restarted with back-off, sidecars beside the app, a Job's pod reaching Succeeded, graceful deletion (preStop hook,
 * SIGTERM, the grace period, the object gone only once its containers stopped), and behaviours that throw or hang.
 */
class PodLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static DrydockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("pod-lifecycle").nodes(1));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void initContainersRunInOrderEachToSuccessBeforeTheAppContainersStart() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean release = new AtomicBoolean();
        try (FakeImages.Registration r = FakeImages.register("lifecycle/step", recorder(seen, release))) {
            ObjectNode pod = pod("init-order", "Always", "app", "lifecycle/step:1", List.of("app"));
            addInit(pod, "first", "lifecycle/step:1", List.of("first"));
            addInit(pod, "second", "lifecycle/step:1", List.of("second", "wait"));
            cluster.client().create(Resource.PODS, "default", pod);

            // second waits to be released: the pod is Pending, initializing, its app container not started
            await().atMost(WAIT).untilAsserted(() -> {
                ObjectNode p = pod("init-order");
                assertThat(Json.text(p, "status", "phase")).isEqualTo("Pending");
                assertThat(Objects.conditionObject(p, "Initialized").path("reason").asText())
                        .isEqualTo("ContainersNotInitialized");
                assertThat(Objects.conditionObject(p, "Initialized").path("message").asText())
                        .isEqualTo("containers with incomplete status: [second]");
                assertThat(p.at("/status/initContainerStatuses/0/state/terminated/reason").asText())
                        .isEqualTo("Completed");
                assertThat(p.at("/status/initContainerStatuses/1/state").has("running")).isTrue();
                assertThat(p.at("/status/containerStatuses/0/state/waiting/reason").asText())
                        .isEqualTo("PodInitializing");
            });
            assertThat(seen).containsExactly("start first", "exit first", "start second");

            release.set(true);

            await().atMost(WAIT).until(() -> "Running".equals(Json.text(pod("init-order"), "status", "phase")));
            assertThat(seen).containsExactly("start first", "exit first", "start second", "exit second",
                    "start app");
            ObjectNode p = pod("init-order");
            assertThat(Objects.condition(p, "Initialized")).isEqualTo("True");
            assertThat(Objects.condition(p, "Ready")).isEqualTo("True");
            assertThat(p.at("/status/initContainerStatuses/1/state/terminated/exitCode").asInt()).isZero();
            assertThat(p.at("/status/initContainerStatuses/1/ready").asBoolean()).isTrue();
            assertThat(log("init-order", "first")).isEqualTo("first\n");
        }
    }

    @Test
    void aFailingInitContainerIsRestartedWithAGrowingBackOffAndUnderNeverFailsThePod() {
        ObjectNode pod = pod("init-crash", "Always", "app", "busybox", List.of("sleep", "3600"));
        addInit(pod, "setup", "busybox", List.of("sh", "-c", "echo trying; exit 1"));
        cluster.client().create(Resource.PODS, "default", pod);
        ObjectNode never = pod("init-fails", "Never", "app", "busybox", List.of("sleep", "3600"));
        addInit(never, "setup", "busybox", List.of("sh", "-c", "exit 3"));
        cluster.client().create(Resource.PODS, "default", never);

        // containerBackOffPeriod is 250 ms compressed, doubled after each crash: the messages say so in turn
        for (String backOff : List.of("back-off 500ms", "back-off 1s")) {
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode setup = pod("init-crash").at("/status/initContainerStatuses/0");
                assertThat(setup.at("/state/waiting/reason").asText()).isEqualTo("CrashLoopBackOff");
                assertThat(setup.at("/state/waiting/message").asText()).startsWith(backOff + " restarting failed "
                        + "container=setup pod=init-crash_default");
                assertThat(setup.at("/lastState/terminated/exitCode").asInt()).isEqualTo(1);
            });
        }
        ObjectNode crashing = pod("init-crash");
        assertThat(Json.text(crashing, "status", "phase")).isEqualTo("Pending");
        assertThat(crashing.at("/status/initContainerStatuses/0/restartCount").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(crashing.at("/status/containerStatuses/0/state/waiting/reason").asText())
                .isEqualTo("PodInitializing");
        assertThat(Objects.condition(crashing, "Initialized")).isEqualTo("False");

        await().atMost(WAIT).until(() -> "Failed".equals(Json.text(pod("init-fails"), "status", "phase")));
        ObjectNode failed = pod("init-fails");
        assertThat(failed.at("/status/initContainerStatuses/0/state/terminated/exitCode").asInt()).isEqualTo(3);
        assertThat(failed.at("/status/initContainerStatuses/0/restartCount").asInt()).isZero();
        assertThat(failed.at("/status/containerStatuses/0/state/waiting/reason").asText())
                .isEqualTo("PodInitializing");
    }

    @Test
    void aSidecarStartsBeforeTheAppRunsBesideItAndIsRestartedWhateverThePodsPolicy() {
        ObjectNode pod = pod("with-sidecar", "Never", "app", "busybox", List.of("sleep", "3600"));
        addInit(pod, "proxy", "busybox", List.of("sleep", "3600")).put("restartPolicy", "Always");
        cluster.client().create(Resource.PODS, "default", pod);

        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode p = pod("with-sidecar");
            assertThat(Json.text(p, "status", "phase")).isEqualTo("Running");
            assertThat(Objects.condition(p, "Ready")).isEqualTo("True");
            assertThat(p.at("/status/initContainerStatuses/0/state").has("running")).isTrue();
            assertThat(p.at("/status/initContainerStatuses/0/started").asBoolean()).isTrue();
            assertThat(p.at("/status/containerStatuses/0/state").has("running")).isTrue();
        });

        cluster.pod("default", "with-sidecar").container("proxy").kill(1);

        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode p = pod("with-sidecar");
            assertThat(p.at("/status/initContainerStatuses/0/restartCount").asInt()).isEqualTo(1);
            assertThat(p.at("/status/initContainerStatuses/0/state").has("running")).isTrue();
            assertThat(p.at("/status/initContainerStatuses/0/lastState/terminated/exitCode").asInt()).isEqualTo(1);
            assertThat(p.at("/status/containerStatuses/0/restartCount").asInt()).isZero();
            assertThat(Json.text(p, "status", "phase")).isEqualTo("Running");
        });
    }

    @Test
    void aJobStylePodReachesSucceededAndItsSidecarIsStoppedRatherThanHoldingIt() {
        for (String policy : List.of("Never", "OnFailure")) {
            String name = "job-" + policy.toLowerCase(java.util.Locale.ROOT);
            ObjectNode pod = pod(name, policy, "main", "busybox", List.of("sh", "-c", "echo done; exit 0"));
            cluster.client().create(Resource.PODS, "default", pod);
        }
        ObjectNode withSidecar = pod("job-sidecar", "Never", "main", "busybox",
                List.of("sh", "-c", "sleep 0.2; echo done; exit 0"));
        addInit(withSidecar, "logger", "busybox", List.of("sleep", "3600")).put("restartPolicy", "Always");
        cluster.client().create(Resource.PODS, "default", withSidecar);

        for (String name : List.of("job-never", "job-onfailure", "job-sidecar")) {
            await().atMost(WAIT).until(() -> "Succeeded".equals(Json.text(pod(name), "status", "phase")));
            ObjectNode p = pod(name);
            assertThat(p.at("/status/containerStatuses/0/state/terminated/exitCode").asInt()).isZero();
            assertThat(p.at("/status/containerStatuses/0/state/terminated/reason").asText()).isEqualTo("Completed");
            assertThat(Objects.conditionObject(p, "Ready").path("reason").asText()).isEqualTo("PodCompleted");
            assertThat(log(name, "main")).isEqualTo("done\n"); // a finished pod's log stays readable
        }
        JsonNode logger = pod("job-sidecar").at("/status/initContainerStatuses/0");
        assertThat(logger.at("/state/terminated/exitCode").asInt()).as("SIGTERM's").isEqualTo(143);
        await().atMost(WAIT).until(() -> "False".equals(Objects.condition(pod("job-sidecar"),
                "PodReadyToStartContainers")));
    }

    @Test
    void aDeletedPodRunsItsPreStopHookThenGetsSigtermAndIsGoneOnlyOnceItsContainersStopped() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ImageBehaviour graceful = new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return new Program() {
                    @Override
                    public void start(ProgramContext ctx) {
                    }

                    @Override
                    public void terminate(ProgramContext ctx) {
                        seen.add("SIGTERM " + argv.get(0));
                        ctx.after(Duration.ofMillis(500), () -> {
                            seen.add("exit " + argv.get(0));
                            ctx.exit(0);
                        });
                    }
                };
            }

            @Override
            public Program exec(List<String> argv) {
                return ctx -> {
                    seen.add("preStop " + String.join(" ", argv));
                    ctx.after(Duration.ofMillis(200), () -> ctx.exit(0));
                };
            }

            @Override
            public PortHandler port(int port, List<String> argv) {
                PortHandler http = PortHandlers.http(200, "text/plain", "bye");
                return client -> {
                    PortHandler.Connection inner = http.connect(client);
                    return bytes -> {
                        String line = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n")[0];
                        seen.add("preStop " + line);
                        inner.data(bytes);
                    };
                };
            }
        };
        try (FakeImages.Registration r = FakeImages.register("lifecycle/graceful", graceful)) {
            ObjectNode pod = pod("graceful", "Always", "web", "lifecycle/graceful:1", List.of("web"));
            ObjectNode web = (ObjectNode) pod.at("/spec/containers/0");
            Json.with(web, "lifecycle", "preStop", "exec").putArray("command").add("/bin/drain").add("now");
            ObjectNode api = Json.withArray(Json.with(pod, "spec"), "containers").addObject().put("name", "api")
                    .put("image", "lifecycle/graceful:1");
            api.putArray("command").add("api");
            api.putArray("ports").addObject().put("name", "http").put("containerPort", 8080);
            Json.with(api, "lifecycle", "preStop", "httpGet").put("path", "/shutdown").put("port", "http");
            cluster.client().create(Resource.PODS, "default", pod);
            await().atMost(WAIT).until(() -> "Running".equals(Json.text(pod("graceful"), "status", "phase")));

            cluster.client().delete(Resource.PODS, "default", "graceful");

            await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> seen.contains("SIGTERM web") && seen.contains("SIGTERM api"));
            ObjectNode terminating = cluster.client().find(Resource.PODS, "default", "graceful");
            assertThat(terminating).as("the pod waits for its containers").isNotNull();
            assertThat(Json.isDeleting(terminating)).isTrue();
            await().atMost(WAIT).until(() -> cluster.client().find(Resource.PODS, "default", "graceful") == null);
            assertThat(seen.indexOf("preStop /bin/drain now")).isLessThan(seen.indexOf("SIGTERM web"));
            assertThat(seen.indexOf("preStop GET /shutdown HTTP/1.1")).isNotNegative()
                    .isLessThan(seen.indexOf("SIGTERM api"));
            assertThat(seen).contains("exit web", "exit api");
        }
    }

    @Test
    void aContainerIsShownCreatingUntilItsPostStartHookEndsAndIsKilledAndRestartedWhenTheHookFails() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean hookFails = new AtomicBoolean();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ImageBehaviour hooked = new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return new Program() {
                    @Override
                    public void start(ProgramContext ctx) {
                        seen.add("start");
                    }

                    @Override
                    public void terminate(ProgramContext ctx) {
                        seen.add("SIGTERM");
                        ctx.exit(143);
                    }
                };
            }

            @Override
            public Program exec(List<String> argv) {
                return ctx -> {
                    seen.add(String.join(" ", argv));
                    if (argv.get(0).equals("/bin/warm-up")) {
                        // the test says when the hook ends: it polls the pod meanwhile
                        new Thread(() -> {
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            ctx.exit(hookFails.get() ? 1 : 0);
                        }, "post-start-hook").start();
                    } else {
                        ctx.exit(0);
                    }
                };
            }
        };
        try (FakeImages.Registration r = FakeImages.register("lifecycle/hooked", hooked)) {
            ObjectNode pod = pod("hooked", "Always", "web", "lifecycle/hooked:1", List.of("web"));
            ObjectNode web = (ObjectNode) pod.at("/spec/containers/0");
            Json.with(web, "lifecycle", "postStart", "exec").putArray("command").add("/bin/warm-up");
            Json.with(web, "lifecycle", "preStop", "exec").putArray("command").add("/bin/drain");
            cluster.client().create(Resource.PODS, "default", pod);

            await().atMost(WAIT).until(() -> seen.contains("/bin/warm-up"));
            JsonNode status = pod("hooked").at("/status/containerStatuses/0");
            assertThat(seen.indexOf("start")).as("the container runs before its hook").isNotNegative()
                    .isLessThan(seen.indexOf("/bin/warm-up"));
            assertThat(status.at("/state/waiting/reason").asText()).isEqualTo("ContainerCreating");
            assertThat(status.path("ready").asBoolean()).isFalse();
            assertThat(status.path("started").asBoolean()).isFalse();

            release.countDown();
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode running = pod("hooked").at("/status/containerStatuses/0");
                assertThat(running.at("/state/running").isObject()).as(running.toString()).isTrue();
                assertThat(running.path("ready").asBoolean()).isTrue();
            });
            assertThat(seen).doesNotContain("SIGTERM", "/bin/drain");
            cluster.client().delete(Resource.PODS, "default", "hooked");
            await().atMost(WAIT).until(() -> cluster.client().find(Resource.PODS, "default", "hooked") == null);

            // A failing hook: the container is killed (its preStop hook, then SIGTERM), then restarted.
            seen.clear();
            hookFails.set(true);
            cluster.client().create(Resource.PODS, "default", pod.deepCopy());
            await().atMost(WAIT).untilAsserted(() -> assertThat(new ClusterPods(cluster).events("hooked"))
                    .contains("FailedPostStartHook: PostStartHook failed", "Killing: FailedPostStartHook"));
            await().atMost(WAIT).until(() -> pod("hooked").at("/status/containerStatuses/0/restartCount").asInt()
                    >= 1);
            assertThat(seen.indexOf("/bin/drain")).as("preStop before SIGTERM: " + seen).isNotNegative()
                    .isLessThan(seen.indexOf("SIGTERM"));
            assertThat(seen.indexOf("/bin/warm-up")).isLessThan(seen.indexOf("/bin/drain"));
            cluster.client().delete(Resource.PODS, "default", "hooked");
            await().atMost(WAIT).until(() -> cluster.client().find(Resource.PODS, "default", "hooked") == null);
        }
    }

    @Test
    void aForceDeletedPodIsGoneAtOnceWhileItsContainerStillGetsSigtermAndItsGracePeriod() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ImageBehaviour slow = new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return new Program() {
                    @Override
                    public void start(ProgramContext ctx) {
                    }

                    @Override
                    public void terminate(ProgramContext ctx) {
                        seen.add("SIGTERM");
                        ctx.after(Duration.ofMillis(300), () -> {
                            seen.add("exit");
                            ctx.exit(0);
                        });
                    }
                };
            }
        };
        try (FakeImages.Registration r = FakeImages.register("lifecycle/slow", slow)) {
            cluster.client().create(Resource.PODS, "default", pod("forced", "Always", "main", "lifecycle/slow:1",
                    List.of("serve")));
            await().atMost(WAIT).until(() -> "Running".equals(Json.text(pod("forced"), "status", "phase")));
            String id = pod("forced").at("/status/containerStatuses/0/containerID").asText()
                    .substring("drydock://".length());
            dev.drydock.runtime.ContainerRuntime node = dev.drydock.cluster.ClusterInternals.runtime(cluster,
                    "node-1");

            cluster.client().delete(Resource.PODS, "default", "forced", null, null, 0L);

            assertThat(cluster.client().find(Resource.PODS, "default", "forced")).isNull();
            await().atMost(WAIT).until(() -> seen.contains("exit"));
            assertThat(seen).containsExactly("SIGTERM", "exit");
            await().atMost(WAIT).until(() -> node.containerStatus(id) == null);
        }
    }

    @Test
    void aBehaviourThatIgnoresSigtermOrHangsItsThreadIsKilledAtTheGracePeriodAndWedgesNothing() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        ImageBehaviour stubborn = new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                if (argv.contains("hang")) {
                    return ctx -> {
                        try {
                            Thread.sleep(Long.MAX_VALUE); // against Program's rule: it holds a shared thread
                        } catch (InterruptedException e) {
                            interrupted.set(true);
                        }
                    };
                }
                return new Program() {
                    @Override
                    public void start(ProgramContext ctx) {
                    }

                    @Override
                    public void terminate(ProgramContext ctx) {
                        // ignores SIGTERM
                    }
                };
            }
        };
        try (FakeImages.Registration r = FakeImages.register("lifecycle/stubborn", stubborn)) {
            for (String name : List.of("ignores", "hang")) {
                ObjectNode pod = pod(name, "Always", "main", "lifecycle/stubborn:1", List.of(name));
                Json.with(pod, "spec").put("terminationGracePeriodSeconds", 60); // 2 s, compressed
                cluster.client().create(Resource.PODS, "default", pod);
                await().atMost(WAIT).until(() -> "Running".equals(Json.text(pod(name), "status", "phase")));
            }
            List<ObjectNode> seen = new CopyOnWriteArrayList<>();
            String rv = Json.resourceVersion(cluster.client().list(Resource.PODS, "default", java.util.Map.of()));
            try (Watch w = cluster.client().watch(Resource.PODS, "default", rv, java.util.Map.of(),
                    new WatchHandler() {
                        @Override
                        public void onEvent(String type, ObjectNode object) {
                            seen.add(object);
                        }

                        @Override
                        public void onClose(ApiException error) {
                        }
                    })) {
                long started = System.nanoTime();
                cluster.client().delete(Resource.PODS, "default", "ignores");
                cluster.client().delete(Resource.PODS, "default", "hang");

                // meanwhile the node runs a new pod
                cluster.client().create(Resource.PODS, "default", pod("meanwhile", "Always", "main", "busybox",
                        List.of("sleep", "3600")));
                await().atMost(WAIT).until(() -> "Running".equals(Json.text(pod("meanwhile"), "status", "phase")));
                assertThat(cluster.client().find(Resource.PODS, "default", "ignores")).isNotNull();

                await().atMost(WAIT).until(() -> cluster.client().find(Resource.PODS, "default", "ignores") == null
                        && cluster.client().find(Resource.PODS, "default", "hang") == null);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
                        cluster.timings().gracePeriod(60).minusMillis(100));
                await().atMost(WAIT).untilAsserted(() -> assertThat(seen.stream()
                        .filter(p -> List.of("ignores", "hang").contains(Json.name(p)))
                        .filter(p -> p.at("/status/containerStatuses/0/state/terminated/exitCode").asInt() == 137)
                        .map(Json::name).distinct()).containsExactlyInAnyOrder("ignores", "hang"));
            }
            assertThat(interrupted).isTrue();
        }
    }

    @Test
    void aBehaviourThatThrowsIsAContainerThatExitsWithOneAndSaysWhyInItsLog() {
        ImageBehaviour throwing = new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                if (argv.contains("early")) {
                    throw new IllegalStateException("no program for you");
                }
                return ctx -> {
                    throw new IllegalArgumentException("boom at start");
                };
            }
        };
        try (FakeImages.Registration r = FakeImages.register("lifecycle/throwing", throwing)) {
            for (String name : List.of("late", "early")) {
                cluster.client().create(Resource.PODS, "default", pod("throws-" + name, "Never", "main",
                        "lifecycle/throwing:1", List.of(name)));
            }
            for (String name : List.of("late", "early")) {
                await().atMost(WAIT).until(() -> "Failed".equals(Json.text(pod("throws-" + name), "status",
                        "phase")));
                JsonNode main = pod("throws-" + name).at("/status/containerStatuses/0/state/terminated");
                assertThat(main.path("exitCode").asInt()).isEqualTo(1);
                assertThat(main.path("reason").asText()).isEqualTo("Error");
            }
            assertThat(log("throws-late", "main")).contains("java.lang.IllegalArgumentException: boom at start");
            assertThat(log("throws-early", "main")).contains("java.lang.IllegalStateException: no program for you");
        }
    }

    // ---- helpers

    /**
     * A behaviour that records its start and exit by its first argument, and exits with 0 after 50 ms, or, given
     * {@code wait}, once {@code release} is set.
     */
    private static ImageBehaviour recorder(List<String> seen, AtomicBoolean release) {
        return new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                String name = argv.get(0);
                return new Program() {
                    @Override
                    public void start(ProgramContext ctx) {
                        seen.add("start " + name);
                        ctx.stdout(name + "\n");
                        if (!name.equals("app")) {
                            poll(ctx);
                        }
                    }

                    private void poll(ProgramContext ctx) {
                        ctx.after(Duration.ofMillis(50), () -> {
                            if (argv.contains("wait") && !release.get()) {
                                poll(ctx);
                                return;
                            }
                            seen.add("exit " + name);
                            ctx.exit(0);
                        });
                    }
                };
            }
        };
    }

    private static ObjectNode pod(String name, String restartPolicy, String container, String image,
                                  List<String> command) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        ObjectNode spec = Json.with(p, "spec").put("restartPolicy", restartPolicy);
        ObjectNode c = Json.withArray(spec, "containers").addObject().put("name", container).put("image", image);
        ArrayNode cmd = c.putArray("command");
        command.forEach(cmd::add);
        return p;
    }

    private static ObjectNode addInit(ObjectNode pod, String name, String image, List<String> command) {
        ObjectNode c = Json.withArray(Json.with(pod, "spec"), "initContainers").addObject().put("name", name)
                .put("image", image);
        ArrayNode cmd = c.putArray("command");
        command.forEach(cmd::add);
        return c;
    }

    private static ObjectNode pod(String name) {
        return cluster.client().get(Resource.PODS, "default", name);
    }

    private static String log(String pod, String container) throws RuntimeException {
        try {
            HttpResponse<String> r = WsClient.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.apiUrl()
                    + "/api/v1/namespaces/default/pods/" + pod + "/log?container=" + container)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
