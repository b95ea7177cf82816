package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.NodeFault;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's probes as a user sees them through the API: startup, liveness and readiness probes of each handler
 * (exec, httpGet, tcpSocket, grpc) drive a container's {@code started} and {@code ready}, the pod's Ready and
 * ContainersReady conditions, and its restarts, with kube's {@code Unhealthy} and {@code Killing} events. Probe
 * seconds are the compressed {@code probeSecond} (100 ms).
 */
class ProbesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a state is watched to hold. */
    private static final Duration HOLD = Duration.ofMillis(1500);
    private static DrydockCluster cluster;

    /** The exit code the {@code check} command of the {@code probes-test/exec} image returns now. */
    private static final AtomicInteger CHECK = new AtomicInteger();
    /** The exit codes of its {@code started} and {@code alive} commands. */
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final AtomicInteger ALIVE = new AtomicInteger();
    /** The arguments of the {@code prestop} commands it ran. */
    private static final ConcurrentLinkedQueue<String> PRE_STOPS = new ConcurrentLinkedQueue<>();
    /** The status the {@code probes-test/http} image answers on port 8080. */
    private static final AtomicInteger HTTP_STATUS = new AtomicInteger(200);
    /** The request heads it received. */
    private static final ConcurrentLinkedQueue<String> REQUESTS = new ConcurrentLinkedQueue<>();
    /** What the {@code probes-test/grpc} image's health service answers on port 9090. */
    private static final AtomicReference<String> GRPC = new AtomicReference<>("SERVING");
    private static final List<FakeImages.Registration> IMAGES = new java.util.ArrayList<>();

    @BeforeAll
    static void start() {
        IMAGES.add(FakeImages.register("probes-test/exec", new ImageBehaviour() {
            @Override
            public Program exec(List<String> argv) {
                return switch (argv.get(0)) {
                    case "check" -> ctx -> {
                        ctx.stdout("check says " + CHECK.get() + "\n");
                        ctx.exit(CHECK.get());
                    };
                    case "started" -> ctx -> ctx.exit(STARTED.get());
                    case "alive" -> ctx -> ctx.exit(ALIVE.get());
                    case "prestop" -> ctx -> {
                        PRE_STOPS.add(argv.get(1));
                        ctx.exit(0);
                    };
                    default -> ImageBehaviour.super.exec(argv);
                };
            }
        }));
        IMAGES.add(FakeImages.register("probes-test/http", new ImageBehaviour() {
            @Override
            public PortHandler port(int port, List<String> argv) {
                return port != 8080 ? null : client -> {
                    PortHandler.Connection http = PortHandlers.http(HTTP_STATUS.get(), "text/plain", "ok")
                            .connect(client);
                    return bytes -> {
                        REQUESTS.add(new String(bytes, StandardCharsets.ISO_8859_1));
                        http.data(bytes);
                    };
                };
            }
        }));
        IMAGES.add(FakeImages.register("probes-test/grpc", new ImageBehaviour() {
            @Override
            public GrpcHealth grpcHealth(int port, List<String> argv) {
                return port == 9090 ? service -> GRPC.get() : null;
            }
        }));
        cluster = DrydockCluster.start(ClusterSpec.create().name("probes").nodes(1));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        IMAGES.forEach(FakeImages.Registration::close);
    }

    @Test
    void aLivenessProbeThatFailsPastItsThresholdRestartsTheContainerWithKubesEvents() {
        CHECK.set(0);
        create("""
                {"metadata": {"name": "liveness"},
                 "spec": {"containers": [{"name": "main", "image": "probes-test/exec:1",
                   "livenessProbe": {"exec": {"command": ["check"]}, "periodSeconds": 1, "failureThreshold": 2}}]}}
                """);
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("liveness"), "Ready")));
        await().during(HOLD).atMost(WAIT).until(() -> main("liveness").path("restartCount").asInt() == 0);

        CHECK.set(1);
        await().atMost(WAIT).until(() -> main("liveness").path("restartCount").asInt() >= 1);
        CHECK.set(0);

        JsonNode main = main("liveness");
        assertThat(main.at("/lastState/terminated/exitCode").asInt()).isEqualTo(143); // SIGTERM
        assertThat(main.at("/lastState/terminated/reason").asText()).isEqualTo("Error");
        await().atMost(WAIT).untilAsserted(() -> assertThat(events("liveness")).contains(
                "Warning Unhealthy Liveness probe failed: check says 1\n",
                "Normal Killing Container main failed liveness probe, will be restarted"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(main("liveness").path("state").has("running")).isTrue();
            assertThat(Objects.condition(pod("liveness"), "Ready")).isEqualTo("True");
        });
        int restarts = main("liveness").path("restartCount").asInt();
        await().during(HOLD).atMost(WAIT).until(() -> main("liveness").path("restartCount").asInt() == restarts);
    }

    @Test
    void aContainerKilledForItsLivenessRunsItsPreStopHookFirst() {
        CHECK.set(0);
        create("""
                {"metadata": {"name": "liveness-hook"},
                 "spec": {"containers": [{"name": "main", "image": "probes-test/exec:1",
                   "lifecycle": {"preStop": {"exec": {"command": ["prestop", "liveness-hook"]}}},
                   "livenessProbe": {"exec": {"command": ["check"]}, "periodSeconds": 1, "failureThreshold": 1}}]}}
                """);
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("liveness-hook"), "Ready")));
        assertThat(PRE_STOPS).doesNotContain("liveness-hook");

        CHECK.set(1);
        await().atMost(WAIT).until(() -> main("liveness-hook").path("restartCount").asInt() >= 1);
        CHECK.set(0);

        assertThat(PRE_STOPS).contains("liveness-hook"); // run in the container before it was stopped
        assertThat(main("liveness-hook").at("/lastState/terminated/exitCode").asInt()).isEqualTo(143); // SIGTERM
        await().atMost(WAIT).until(() -> events("liveness-hook").contains(
                "Normal Killing Container main failed liveness probe, will be restarted"));
        assertThat(events("liveness-hook")).noneMatch(e -> e.contains("FailedPreStopHook"));
    }

    @Test
    void aHungContainerKilledForItsLivenessIsKilledAtThePodsCompressedGracePeriod() {
        // the pod's grace period, kube's default 30 s, lasts the compressed terminationGracePeriod (1 s)
        create("""
                {"metadata": {"name": "hung-default-grace"},
                 "spec": {"containers": [{"name": "main", "image": "nginx:1.27",
                   "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 1, "timeoutSeconds": 1,
                     "failureThreshold": 2}}]}}
                """);
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("hung-default-grace"), "Ready")));

        try (NodeFault hang = cluster.pod("default", "hung-default-grace").container("main").hang()) {
            // well before 30 s: the probe fails within about a second, the kill takes about another
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> main("hung-default-grace").path("restartCount").asInt() >= 1);
        }
        assertThat(main("hung-default-grace").at("/lastState/terminated/exitCode").asInt()).isEqualTo(137);
    }

    @Test
    void aReadinessProbeTakesThePodOutOfReadyAndBackByItsHttpStatus() {
        HTTP_STATUS.set(200);
        create("""
                {"metadata": {"name": "readiness"},
                 "spec": {"containers": [{"name": "main", "image": "probes-test/http:1",
                   "ports": [{"name": "http", "containerPort": 8080}],
                   "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http",
                       "httpHeaders": [{"name": "X-Probe", "value": "drydock"}]},
                     "periodSeconds": 1, "failureThreshold": 1, "successThreshold": 2}}]}}
                """);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(Objects.condition(pod("readiness"), "Ready")).isEqualTo("True");
            assertThat(Objects.condition(pod("readiness"), "ContainersReady")).isEqualTo("True");
            assertThat(main("readiness").path("ready").asBoolean()).isTrue();
        });
        String ip = Json.text(pod("readiness"), "status", "podIP");
        assertThat(REQUESTS).anySatisfy(r -> assertThat(r).startsWith("GET /healthz HTTP/1.1\r\n")
                .contains("Host: " + ip + ":8080\r\n", "User-Agent: kube-probe/1.32\r\n", "X-Probe: drydock\r\n"));

        HTTP_STATUS.set(503);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(Objects.condition(pod("readiness"), "Ready")).isEqualTo("False");
            assertThat(Objects.condition(pod("readiness"), "ContainersReady")).isEqualTo("False");
            assertThat(main("readiness").path("ready").asBoolean()).isFalse();
            assertThat(main("readiness").path("started").asBoolean()).isTrue();
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(events("readiness"))
                .contains("Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 503"));

        HTTP_STATUS.set(302); // 200 to 399 is a success
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("readiness"), "Ready")));
        assertThat(main("readiness").path("restartCount").asInt()).isZero();
        assertThat(Json.text(pod("readiness"), "status", "phase")).isEqualTo("Running");
    }

    @Test
    void aStartupProbeHoldsTheLivenessProbeOffUntilItSucceeds() {
        STARTED.set(1);
        ALIVE.set(1); // the liveness probe would fail at once
        create("""
                {"metadata": {"name": "startup"},
                 "spec": {"containers": [{"name": "main", "image": "probes-test/exec:2",
                   "startupProbe": {"exec": {"command": ["started"]}, "periodSeconds": 1, "failureThreshold": 1000},
                   "livenessProbe": {"exec": {"command": ["alive"]}, "periodSeconds": 1, "failureThreshold": 1}}]}}
                """);
        await().atMost(WAIT).until(() -> "Running".equals(Json.text(pod("startup"), "status", "phase")));
        await().during(HOLD).atMost(WAIT).untilAsserted(() -> {
            JsonNode main = main("startup");
            assertThat(main.path("started").asBoolean()).isFalse();
            assertThat(main.path("ready").asBoolean()).isFalse();
            assertThat(main.path("restartCount").asInt()).isZero();
            assertThat(Objects.condition(pod("startup"), "Ready")).isEqualTo("False");
        });
        assertThat(events("startup")).noneMatch(e -> e.contains("Liveness"));

        STARTED.set(0); // started: now the failing liveness probe runs, and kills
        await().atMost(WAIT).until(() -> main("startup").path("restartCount").asInt() >= 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(events("startup"))
                .contains("Normal Killing Container main failed liveness probe, will be restarted"));

        ALIVE.set(0);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(main("startup").path("started").asBoolean()).isTrue();
            assertThat(main("startup").path("ready").asBoolean()).isTrue(); // no readiness probe: ready once started
            assertThat(Objects.condition(pod("startup"), "Ready")).isEqualTo("True");
        });
    }

    @Test
    void aStartupProbeThatFailsPastItsThresholdKillsTheContainer() {
        create("""
                {"metadata": {"name": "never-starts"},
                 "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "probes-test/exec:3",
                   "startupProbe": {"exec": {"command": ["sh", "-c", "exit 1"]}, "periodSeconds": 1,
                     "failureThreshold": 2}}]}}
                """);
        await().atMost(WAIT).until(() -> "Failed".equals(Json.text(pod("never-starts"), "status", "phase")));
        assertThat(main("never-starts").at("/state/terminated/exitCode").asInt()).isEqualTo(143);
        await().atMost(WAIT).untilAsserted(() -> assertThat(events("never-starts"))
                .contains("Normal Killing Container main failed startup probe"));
    }

    @Test
    void aTcpSocketProbeOfAPortNothingServesFailsAndOfAServedOneSucceeds() {
        create("""
                {"metadata": {"name": "tcp-unserved"},
                 "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                   "readinessProbe": {"tcpSocket": {"port": 9999}, "periodSeconds": 1}}]}}
                """);
        create("""
                {"metadata": {"name": "tcp-served"},
                 "spec": {"containers": [{"name": "main", "image": "nginx:1.27",
                   "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 1}}]}}
                """);
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("tcp-served"), "Ready")));
        String ip = Json.text(pod("tcp-unserved"), "status", "podIP");
        await().atMost(WAIT).until(() -> events("tcp-unserved").contains("Warning Unhealthy Readiness probe failed: "
                + "dial tcp " + ip + ":9999: connect: connection refused"));
        assertThat(Objects.condition(pod("tcp-unserved"), "Ready")).isEqualTo("False");
        assertThat(Json.text(pod("tcp-unserved"), "status", "phase")).isEqualTo("Running");
    }

    @Test
    void anExecProbeSucceedsOnExitCodeZeroAndFailsOnAnyOtherWithItsOutput() {
        create("""
                {"metadata": {"name": "exec-zero"},
                 "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                   "readinessProbe": {"exec": {"command": ["sh", "-c", "exit 0"]}, "periodSeconds": 1}}]}}
                """);
        create("""
                {"metadata": {"name": "exec-three"},
                 "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                   "readinessProbe": {"exec": {"command": ["sh", "-c", "echo not yet; exit 3"]},
                     "periodSeconds": 1}}]}}
                """);
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("exec-zero"), "Ready")));
        await().atMost(WAIT).until(() -> events("exec-three").contains("Warning Unhealthy Readiness probe failed: "
                + "not yet\n"));
        assertThat(Objects.condition(pod("exec-three"), "Ready")).isEqualTo("False");
    }

    @Test
    void httpGetProbesOfNginxsPort80SucceedAndWriteNothingWhileTheyKeepPassing() {
        create("""
                {"metadata": {"name": "nginx"},
                 "spec": {"containers": [{"name": "main", "image": "nginx:1.27",
                   "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 1},
                   "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 1,
                     "failureThreshold": 1}}]}}
                """);
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("nginx"), "Ready")));
        String settled = Json.resourceVersion(pod("nginx"));
        int events = events("nginx").size();

        // probes that keep passing write nothing: neither the pod's status nor events
        await().during(HOLD).atMost(WAIT).until(() -> Json.resourceVersion(pod("nginx")).equals(settled)
                && events("nginx").size() == events);
        assertThat(events("nginx")).noneMatch(e -> e.contains("Unhealthy"));
    }

    @Test
    void aGrpcProbeAsksTheBehavioursHealthServiceAndFailsWhereNoneServes() {
        GRPC.set("SERVING");
        create("""
                {"metadata": {"name": "grpc"},
                 "spec": {"containers": [{"name": "main", "image": "probes-test/grpc:1",
                   "readinessProbe": {"grpc": {"port": 9090}, "periodSeconds": 1}}]}}
                """);
        create("""
                {"metadata": {"name": "grpc-none"},
                 "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                   "readinessProbe": {"grpc": {"port": 9090}, "periodSeconds": 1}}]}}
                """);
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("grpc"), "Ready")));
        GRPC.set("NOT_SERVING");
        await().atMost(WAIT).until(() -> "False".equals(Objects.condition(pod("grpc"), "Ready")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events("grpc"))
                .contains("Warning Unhealthy Readiness probe failed: service unhealthy (responded with "
                        + "\"NOT_SERVING\")"));
        GRPC.set("SERVING");
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("grpc"), "Ready")));

        String ip = Json.text(pod("grpc-none"), "status", "podIP");
        await().atMost(WAIT).until(() -> events("grpc-none").contains("Warning Unhealthy Readiness probe failed: "
                + "timeout: failed to connect service \"" + ip + ":9090\" within 1s: context deadline exceeded"));
        assertThat(Objects.condition(pod("grpc-none"), "Ready")).isEqualTo("False");
    }

    @Test
    void aHungContainerTimesItsLivenessProbeOutAndIsRestarted() {
        create("""
                {"metadata": {"name": "hung"},
                 "spec": {"containers": [{"name": "main", "image": "nginx:1.27",
                   "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 1, "timeoutSeconds": 1,
                     "failureThreshold": 2, "terminationGracePeriodSeconds": 1}}]}}
                """);
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("hung"), "Ready")));
        String ip = Json.text(pod("hung"), "status", "podIP");

        try (NodeFault hang = cluster.pod("default", "hung").container("main").hang()) {
            await().atMost(WAIT).until(() -> main("hung").path("restartCount").asInt() >= 1);
        }

        assertThat(main("hung").at("/lastState/terminated/exitCode").asInt()).isEqualTo(137); // killed after grace
        await().atMost(WAIT).untilAsserted(() -> assertThat(events("hung")).contains("Warning Unhealthy Liveness "
                + "probe failed: Get \"http://" + ip + ":80/\": context deadline exceeded (Client.Timeout exceeded "
                + "while awaiting headers)"));
        await().atMost(WAIT).until(() -> "True".equals(Objects.condition(pod("hung"), "Ready")));
    }

    @Test
    void aNamedPortTheContainerDoesNotHaveErrsTheProbeWhichThenCountsForNothing() {
        create("""
                {"metadata": {"name": "unnamed"},
                 "spec": {"containers": [{"name": "main", "image": "nginx:1.27",
                   "livenessProbe": {"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 1,
                     "failureThreshold": 1}}]}}
                """);
        await().atMost(WAIT).until(() -> events("unnamed").contains("Warning Unhealthy Liveness probe errored and "
                + "resulted in unknown state: strconv.Atoi: parsing \"http\": invalid syntax"));
        await().during(HOLD).atMost(WAIT).until(() -> main("unnamed").path("restartCount").asInt() == 0);
    }

    // ---- helpers

    private static void create(String json) {
        ObjectNode pod = Json.parseTrusted(json.getBytes(StandardCharsets.UTF_8));
        pod.put("apiVersion", "v1").put("kind", "Pod");
        cluster.client().create(Resource.PODS, "default", pod);
    }

    private static ObjectNode pod(String name) {
        return cluster.client().get(Resource.PODS, "default", name);
    }

    private static JsonNode main(String pod) {
        return pod(pod).path("status").path("containerStatuses").path(0);
    }

    /** The pod's events as {@code type reason message}. */
    private static List<String> events(String pod) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : cluster.client().list(Resource.EVENTS, "default", Map.of()).path("items")) {
            if (e.at("/involvedObject/name").asText().equals(pod)) {
                out.add(e.path("type").asText() + " " + e.path("reason").asText() + " " + e.path("message").asText());
            }
        }
        return out;
    }
}
