package dev.drydock.fake;

import static dev.drydock.fake.Objects.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.NetworkFault;
import dev.drydock.chaos.Parties;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.ClusterHttp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code cluster.http()}: cluster DNS, kube-proxy's spreading, calls from behaviours, and {@code net}'s faults. */
class ClusterHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static DrydockCluster cluster;
    private static KubeClient k;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().nodes(2));
        k = cluster.client();
        // Answers with its pod's name on 8080.
        cluster.images().register("clusterhttptest/whoami", new ImageBehaviour() {
            @Override
            public PortHandler port(int port, PodContext pod) {
                return port == 8080 ? PortHandlers.http(r -> CompletableFuture.completedFuture(
                        ClusterHttp.Response.text(200, pod.hostname() + " " + r.method() + " " + r.path() + " "
                                + r.bodyText()))) : null;
            }
        });
        // Calls the Service named by its path, from inside the cluster, and says what it got.
        cluster.images().register("clusterhttptest/caller", new ImageBehaviour() {
            @Override
            public PortHandler port(int port, PodContext pod) {
                return port == 80 ? PortHandlers.http(r -> pod.http().send(ClusterHttp.Request.get("http://"
                        + r.path().substring(1) + "/from-caller")).handle((resp, e) -> e == null
                        ? ClusterHttp.Response.text(200, "caller got: " + resp.bodyText())
                        : ClusterHttp.Response.text(502, "caller failed: " + e.getMessage()))) : null;
            }
        });
        k.create(Resource.DEPLOYMENTS, "default", deployment("who", 2, "clusterhttptest/whoami"));
        k.create(Resource.SERVICES, "default", EndpointsClusterTest.service("who", "who", 80, 8080));
        await().atMost(WAIT).until(() -> readyEndpoints("who") == 2);
        await().atMost(WAIT).ignoreExceptions().until(() -> cluster.http().get("http://who/").status() == 200);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static int readyEndpoints(String service) {
        int n = 0;
        for (ObjectNode s : k.items(EndpointsClusterTest.SLICES, "default", "kubernetes.io/service-name="
                + service)) {
            for (var e : s.path("endpoints")) {
                if (e.path("conditions").path("ready").asBoolean()) {
                    n++;
                }
            }
        }
        return n;
    }

    private static List<ObjectNode> pods(String app) {
        return k.items(Resource.PODS, "default", "app=" + app);
    }

    @Test
    void everyDnsFormOfAServiceAndItsClusterIpAnswer() {
        String clusterIp = Json.text(k.get(Resource.SERVICES, "default", "who"), "spec", "clusterIP");
        for (String host : List.of("who", "who.default", "who.default.svc", "who.default.svc.cluster.local",
                clusterIp)) {
            ClusterHttp.Response r = cluster.http().get("http://" + host + "/hello?x=1");
            assertThat(r.status()).as(host).isEqualTo(200);
            assertThat(r.bodyText()).as(host).startsWith("who-").endsWith(" GET /hello?x=1 ");
        }
        ClusterHttp.Response posted = cluster.http().post("http://who/orders", "two apples");
        assertThat(posted.bodyText()).endsWith(" POST /orders two apples");
    }

    @Test
    void aServicesCallsAreSpreadOverItsReadyEndpoints() {
        await().atMost(WAIT).untilAsserted(() -> {
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 40 && answered.size() < 2; i++) {
                answered.add(cluster.http().get("http://who/").bodyText().split(" ")[0]);
            }
            assertThat(answered).containsExactlyInAnyOrderElementsOf(pods("who").stream().map(Json::name).toList());
        });
    }

    @Test
    void aPodIpReachesThatPodAtTheGivenPort() {
        ObjectNode pod = pods("who").get(0);
        ClusterHttp.Response r = cluster.http().get("http://" + Json.text(pod, "status", "podIP") + ":8080/");
        assertThat(r.bodyText()).startsWith(Json.name(pod) + " ");
        assertThatThrownBy(() -> cluster.http().get("http://" + Json.text(pod, "status", "podIP") + ":9999/"))
                .isInstanceOf(ClusterHttp.CallException.class).hasMessageContaining("connection refused");
    }

    @Test
    void anUnknownHostNamesTheServicesThereAre() {
        assertThatThrownBy(() -> cluster.http().get("http://nope.default.svc.cluster.local/"))
                .isInstanceOf(ClusterHttp.CallException.class)
                .hasMessageContaining("no such host")
                .hasMessageContaining("who.default.svc.cluster.local");
    }

    @Test
    void aServiceWithoutReadyEndpointsRefusesConnections() {
        k.create(Resource.SERVICES, "default", EndpointsClusterTest.service("empty", "nothing", 80, 8080));
        await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> cluster.http().get("http://empty/"))
                .isInstanceOf(ClusterHttp.CallException.class)
                .hasMessageContaining("connection refused").hasMessageContaining("no ready endpoints"));
        assertThatThrownBy(() -> cluster.http().get("http://who:81/"))
                .isInstanceOf(ClusterHttp.CallException.class).hasMessageContaining("has no port 81");
    }

    @Test
    void headlessServicesResolveToTheirPodsAndHostnamesOfTheirSubdomain() {
        ObjectNode svc = EndpointsClusterTest.service("db", "db", 8080, 8080);
        Json.with(svc, "spec").put("clusterIP", "None");
        k.create(Resource.SERVICES, "default", svc);
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", "db-0");
        Json.with(pod, "metadata", "labels").put("app", "db");
        Json.with(pod, "spec").put("hostname", "primary").put("subdomain", "db");
        Json.withArray(Json.with(pod, "spec"), "containers").addObject().put("name", "main")
                .put("image", "clusterhttptest/whoami");
        k.create(Resource.PODS, "default", pod);
        await().atMost(WAIT).ignoreExceptions().until(() -> cluster.http().get("http://db:8080/").status() == 200);

        assertThat(cluster.http().get("http://db:8080/").bodyText()).startsWith("db-0 ");
        assertThat(cluster.http().get("http://primary.db.default.svc.cluster.local:8080/").bodyText())
                .startsWith("db-0 ");
        assertThat(cluster.http().get("http://primary.db:8080/").bodyText()).startsWith("db-0 ");
    }

    @Test
    void aBehaviourCallsServicesFromItsPodAcrossTheNetwork() {
        k.create(Resource.DEPLOYMENTS, "default", deployment("caller", 1, "clusterhttptest/caller"));
        k.create(Resource.SERVICES, "default", EndpointsClusterTest.service("caller", "caller", 80, 80));
        await().atMost(WAIT).until(() -> readyEndpoints("caller") == 1);

        // kube-proxy hears of the endpoint a moment after the API has it, as on Kubernetes
        ClusterHttp.Response r = await().atMost(WAIT).ignoreExceptions()
                .until(() -> cluster.http().get("http://caller/who"), resp -> resp.status() == 200);
        assertThat(r.bodyText()).startsWith("caller got: who-").contains("GET /from-caller");

        // Cut the caller's node from the whoami pods' nodes: its calls time out, the test's call still reaches it.
        String callerNode = Json.text(pods("caller").get(0), "spec", "nodeName");
        List<String> others = pods("who").stream().map(p -> Json.text(p, "spec", "nodeName"))
                .filter(n -> !n.equals(callerNode)).distinct().toList();
        if (!others.isEmpty()) {
            try (NetworkFault cut = cluster.partition(Parties.nodes(callerNode), Parties.nodes(others.toArray(String[]::new)))) {
                Set<Integer> statuses = new HashSet<>();
                for (int i = 0; i < 30 && statuses.size() < 2; i++) {
                    statuses.add(cluster.http().get("http://caller/who").status());
                }
                assertThat(statuses).as("calls to the same node go through, calls across the cut fail")
                        .contains(502);
            }
        }
    }

    @Test
    void aPartitionBetweenTheTestAndAPodsNodeTimesOutUntilHealed() {
        ObjectNode pod = pods("who").get(0);
        String ip = Json.text(pod, "status", "podIP");
        try (NetworkFault cut = cluster.partition(List.of("test"), List.of(Json.text(pod, "spec", "nodeName")))) {
            assertThatThrownBy(() -> cluster.http().get("http://" + ip + ":8080/"))
                    .isInstanceOf(ClusterHttp.CallException.class).hasMessageContaining("i/o timeout");
        }
        assertThat(cluster.http().get("http://" + ip + ":8080/").status()).isEqualTo(200);
    }

    @Test
    void anIdentitysCallsCrossItsOwnLinks() {
        var probe = cluster.identity("probe");
        assertThat(cluster.http(probe).get("http://who/").status()).isEqualTo(200);
        try (NetworkFault cut = cluster.isolate(probe.party())) {
            assertThatThrownBy(() -> cluster.http(probe).get("http://who/"))
                    .isInstanceOf(ClusterHttp.CallException.class).hasMessageContaining("i/o timeout");
            assertThat(cluster.http().get("http://who/").status()).as("the test's own calls").isEqualTo(200);
        }
    }

    @Test
    void sessionAffinityClientIpKeepsACallerOnOneEndpoint() {
        ObjectNode svc = EndpointsClusterTest.service("sticky", "who", 80, 8080);
        Json.with(svc, "spec").put("sessionAffinity", "ClientIP");
        k.create(Resource.SERVICES, "default", svc);
        await().atMost(WAIT).ignoreExceptions().until(() -> cluster.http().get("http://sticky/").status() == 200);

        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            answered.add(cluster.http().get("http://sticky/").bodyText().split(" ")[0]);
        }
        assertThat(answered).hasSize(1);
    }

    @Test
    void aSlowLinkDelaysCallsAndALossyOneLosesSome() {
        ObjectNode pod = pods("who").get(0);
        String node = Json.text(pod, "spec", "nodeName");
        String url = "http://" + Json.text(pod, "status", "podIP") + ":8080/";
        try (NetworkFault slow = cluster.networkFaults().delay(node, Duration.ofMillis(150), Duration.ZERO)) {
            long start = System.nanoTime();
            assertThat(cluster.http().get(url).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("there and back through a 150 ms link")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        try (NetworkFault lossy = cluster.networkFaults().loss(node, 0.5)) {
            int lost = 0;
            for (int i = 0; i < 40; i++) {
                try {
                    cluster.http().get(url);
                } catch (ClusterHttp.CallException e) {
                    assertThat(e).hasMessageContaining("i/o timeout");
                    lost++;
                }
            }
            assertThat(lost).isBetween(10, 39);
        }
    }

    @Test
    void busyboxHttpdServesItsPortWithoutFiles() {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", "httpd");
        ObjectNode c = Json.withArray(Json.with(pod, "spec"), "containers").addObject().put("name", "main")
                .put("image", "busybox:1.36");
        c.putArray("command").add("httpd").add("-f").add("-p").add("8080").add("-h").add("/www");
        k.create(Resource.PODS, "default", pod);
        await().atMost(WAIT).until(() -> "Running".equals(Json.text(k.get(Resource.PODS, "default", "httpd"),
                "status", "phase")));
        String ip = Json.text(k.get(Resource.PODS, "default", "httpd"), "status", "podIP");

        ClusterHttp.Response r = await().atMost(WAIT).ignoreExceptions()
                .until(() -> cluster.http().get("http://" + ip + ":8080/index.html"), resp -> true);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).contains("404 Not Found");
        assertThatThrownBy(() -> cluster.http().get("http://" + ip + "/")).hasMessageContaining("connection refused");
    }

    @Test
    void busyboxHttpdServesTheFilesAShellLineWroteToAnEmptyDir() {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", "site");
        ObjectNode spec = Json.with(pod, "spec");
        ObjectNode c = Json.withArray(spec, "containers").addObject().put("name", "main").put("image", "busybox:1.36");
        c.putArray("command").add("sh").add("-c")
                .add("echo served from a volume > /www/index.html && httpd -f -p 8080 -h /www");
        c.putArray("volumeMounts").addObject().put("name", "www").put("mountPath", "/www");
        spec.putArray("volumes").addObject().put("name", "www").putObject("emptyDir");
        k.create(Resource.PODS, "default", pod);
        await().atMost(WAIT).until(() -> "Running".equals(Json.text(k.get(Resource.PODS, "default", "site"),
                "status", "phase")));
        String ip = Json.text(k.get(Resource.PODS, "default", "site"), "status", "podIP");

        ClusterHttp.Response r = await().atMost(WAIT).ignoreExceptions()
                .until(() -> cluster.http().get("http://" + ip + ":8080/"), resp -> resp.status() == 200);
        assertThat(r.bodyText()).isEqualTo("served from a volume\n");
        assertThat(cluster.http().get("http://" + ip + ":8080/index.html").bodyText())
                .isEqualTo("served from a volume\n");
        assertThat(cluster.http().get("http://" + ip + ":8080/missing").status()).isEqualTo(404);
        assertThat(Json.text(k.get(Resource.PODS, "default", "site"), "status", "phase")).isEqualTo("Running");
    }

    @Test
    void nginxAnswersThroughItsService() {
        k.create(Resource.DEPLOYMENTS, "default", deployment("nginx", 1, "nginx:1.27"));
        k.create(Resource.SERVICES, "default", EndpointsClusterTest.service("nginx", "nginx", 80, null));
        ClusterHttp.Response r = await().atMost(WAIT).ignoreExceptions()
                .until(() -> cluster.http().get("http://nginx.default.svc.cluster.local/"), resp -> true);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("server")).isEqualTo("nginx");
        assertThat(r.bodyText()).contains("Welcome to nginx!");
    }
}
