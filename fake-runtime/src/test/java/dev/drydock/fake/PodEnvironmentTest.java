package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.NetworkFault;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.ContainerHandle;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A container's environment as the kubelet builds it (kube's {@code makeEnvironmentVariables}), seen as users see it:
 * what {@code sh -c env} prints in the container's log, and the pod's status when a reference is missing.
 */
class PodEnvironmentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static DrydockCluster cluster;
    private static ClusterPods pods;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("pod-environment").nodes(1));
        pods = new ClusterPods(cluster);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void envComesFromLiteralsConfigMapsSecretsAndTheDownwardApiWithExpansion() throws Exception {
        pods.create(ClusterPods.CONFIG_MAPS, """
                {"metadata": {"name": "settings"},
                 "data": {"LEVEL": "debug", "color": "blue", "1st": "y"}}""");
        pods.create(ClusterPods.CONFIG_MAPS, """
                {"metadata": {"name": "odd"}, "data": {"2nd": "x", "-ok": "z", "9": "n"}}""");
        pods.create(ClusterPods.SECRETS, """
                {"metadata": {"name": "creds"}, "data": {"password": "czNjcjN0"}}""");
        pods.create(Resource.PODS, """
                {"metadata": {"name": "printenv", "labels": {"app": "web"}, "annotations": {"team": "blue"}},
                 "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox",
                   "command": ["sh", "-c", "env; echo \\"arg=$1\\"", "sh", "$(GREETING)"],
                   "resources": {"requests": {"cpu": "250m"}, "limits": {"memory": "64Mi"}},
                   "envFrom": [{"configMapRef": {"name": "settings"}, "prefix": "CFG_"},
                               {"configMapRef": {"name": "absent", "optional": true}},
                               {"configMapRef": {"name": "odd"}}],
                   "env": [
                     {"name": "NAME", "value": "world"},
                     {"name": "GREETING", "value": "hello $(NAME), $(UNKNOWN) costs $$(NAME) and $$5"},
                     {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "LEVEL"}}},
                     {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}},
                     {"name": "MISSING", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "nope",
                                                                        "optional": true}}},
                     {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                     {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                     {"name": "POD_UID", "valueFrom": {"fieldRef": {"fieldPath": "metadata.uid"}}},
                     {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
                     {"name": "TEAM", "valueFrom": {"fieldRef": {"fieldPath": "metadata.annotations['team']"}}},
                     {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                     {"name": "HOST_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}},
                     {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                     {"name": "CPU_M", "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu",
                                                                        "divisor": "1m"}}},
                     {"name": "MEM_MI", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory",
                                                                        "divisor": "1Mi"}}}
                   ]}]}}""");

        await().atMost(WAIT).until(() -> pods.phase("printenv").equals("Succeeded"));
        ObjectNode pod = pods.pod("printenv");
        List<String> lines = List.of(pods.log("printenv").split("\n"));
        assertThat(lines).contains("NAME=world",
                "GREETING=hello world, $(UNKNOWN) costs $(NAME) and $5",
                "arg=hello world, $(UNKNOWN) costs $(NAME) and $5",
                "CFG_LEVEL=debug", "CFG_color=blue", "CFG_1st=y", "-ok=z", "LEVEL=debug", "PASSWORD=s3cr3t",
                "POD_NAME=printenv", "POD_NAMESPACE=default", "POD_UID=" + Json.uid(pod), "APP=web", "TEAM=blue",
                "NODE=" + Json.text(pod, "spec", "nodeName"), "HOST_IP=" + Json.text(pod, "status", "hostIP"),
                "POD_IP=" + Json.text(pod, "status", "podIP"), "CPU_M=250", "MEM_MI=64");
        assertThat(lines).noneMatch(l -> l.startsWith("MISSING=") || l.startsWith("2nd") || l.startsWith("9="));
        await().atMost(WAIT).untilAsserted(() -> assertThat(pods.events("printenv"))
                .contains("InvalidEnvironmentVariableNames: Keys [2nd, 9] from the EnvFrom configMap default/odd "
                        + "were skipped since they are considered invalid environment variable names."));
    }

    @Test
    void servicesOfTheNamespaceAndTheMastersAreVariablesUnlessServiceLinksAreOff() throws Exception {
        cluster.client().create(Resource.NAMESPACES, null, Json.parseTrusted("""
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}""".getBytes()));
        cluster.client().create(Resource.SERVICES, "shop", Json.parseTrusted("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "redis-primary", "namespace": "shop"},
                 "spec": {"selector": {"app": "redis"},
                          "ports": [{"name": "redis", "port": 6379},
                                    {"name": "metrics-port", "port": 9121, "protocol": "UDP"}]}}""".getBytes()));
        cluster.client().create(Resource.SERVICES, "shop", Json.parseTrusted("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "headless", "namespace": "shop"},
                 "spec": {"clusterIP": "None", "selector": {"app": "x"}, "ports": [{"port": 80}]}}""".getBytes()));
        String ip = Json.text(cluster.client().get(Resource.SERVICES, "shop", "redis-primary"), "spec", "clusterIP");
        String master = Json.text(cluster.client().get(Resource.SERVICES, "default", "kubernetes"), "spec",
                "clusterIP");
        for (boolean links : List.of(true, false)) {
            String name = "links-" + links;
            cluster.client().create(Resource.PODS, "shop", Json.parseTrusted("""
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "namespace": "shop"},
                     "spec": {"restartPolicy": "Never", "enableServiceLinks": %s,
                       "containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", "env"],
                         "env": [{"name": "URL", "value": "redis://$(REDIS_PRIMARY_SERVICE_HOST):6379"},
                                 {"name": "REDIS_PRIMARY_SERVICE_PORT", "value": "mine"}]}]}}"""
                    .formatted(name, links).getBytes()));
            await().atMost(WAIT).until(() -> Json.text(cluster.client().get(Resource.PODS, "shop", name), "status",
                    "phase").equals("Succeeded"));
        }
        List<String> linked = List.of(pods.logIn("shop", "links-true").split("\n"));
        assertThat(linked).contains("URL=redis://" + ip + ":6379",
                "REDIS_PRIMARY_SERVICE_HOST=" + ip, "REDIS_PRIMARY_SERVICE_PORT=mine",
                "REDIS_PRIMARY_SERVICE_PORT_REDIS=6379", "REDIS_PRIMARY_SERVICE_PORT_METRICS_PORT=9121",
                "REDIS_PRIMARY_PORT=tcp://" + ip + ":6379",
                "REDIS_PRIMARY_PORT_6379_TCP=tcp://" + ip + ":6379", "REDIS_PRIMARY_PORT_6379_TCP_PROTO=tcp",
                "REDIS_PRIMARY_PORT_6379_TCP_PORT=6379", "REDIS_PRIMARY_PORT_6379_TCP_ADDR=" + ip,
                "REDIS_PRIMARY_PORT_9121_UDP=udp://" + ip + ":9121", "REDIS_PRIMARY_PORT_9121_UDP_PROTO=udp",
                "KUBERNETES_SERVICE_HOST=" + master, "KUBERNETES_SERVICE_PORT=443",
                "KUBERNETES_SERVICE_PORT_HTTPS=443", "KUBERNETES_PORT=tcp://" + master + ":443");
        assertThat(linked).noneMatch(l -> l.startsWith("HEADLESS_"));
        List<String> unlinked = List.of(pods.logIn("shop", "links-false").split("\n"));
        assertThat(unlinked).contains("URL=redis://$(REDIS_PRIMARY_SERVICE_HOST):6379",
                "KUBERNETES_SERVICE_HOST=" + master, "REDIS_PRIMARY_SERVICE_PORT=mine");
        assertThat(unlinked).noneMatch(l -> l.startsWith("REDIS_PRIMARY_SERVICE_HOST"));
    }

    @Test
    void aMissingConfigMapOrKeyIsCreateContainerConfigErrorUntilItAppears() {
        pods.create(Resource.PODS, """
                {"metadata": {"name": "waits"},
                 "spec": {"containers": [{"name": "main", "image": "busybox", "command": ["sleep", "3600"],
                   "env": [{"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "later", "key": "mode"}}}]
                 }]}}""");

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode waiting = pods.waiting("waits");
            assertThat(waiting.path("reason").asText()).isEqualTo("CreateContainerConfigError");
            assertThat(waiting.path("message").asText()).isEqualTo("configmap \"later\" not found");
        });
        assertThat(pods.phase("waits")).isEqualTo("Pending");
        await().atMost(WAIT).untilAsserted(() -> assertThat(pods.events("waits"))
                .contains("Failed: Error: configmap \"later\" not found"));

        pods.create(ClusterPods.CONFIG_MAPS, """
                {"metadata": {"name": "later"}, "data": {"other": "x"}}""");
        await().atMost(WAIT).untilAsserted(() -> assertThat(pods.waiting("waits").path("message").asText())
                .isEqualTo("couldn't find key mode in ConfigMap default/later"));

        cluster.client().modify(ClusterPods.CONFIG_MAPS, "default", "later",
                cm -> Json.with(cm, "data").put("mode", "fast"));
        await().atMost(WAIT).until(() -> pods.phase("waits").equals("Running"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(pods.events("waits"))
                .contains("Failed: Error: couldn't find key mode in ConfigMap default/later"));
    }

    @Test
    void aNodeCutOffFromTheApiServerStillMakesContainersWithTheServicesItKnew() throws Exception {
        pods.create(Resource.SERVICES, """
                {"metadata": {"name": "cache"}, "spec": {"ports": [{"port": 6379}]}}""");
        pods.create(Resource.PODS, """
                {"metadata": {"name": "cut-off"},
                 "spec": {"containers": [{"name": "main", "image": "busybox",
                   "command": ["sh", "-c", "env; sleep 3600"]}]}}""");
        await().atMost(WAIT).until(() -> pods.log("cut-off").contains("CACHE_SERVICE_HOST="));
        ContainerHandle main = cluster.pod("default", "cut-off").container("main");

        try (NetworkFault cut = cluster.partition(List.of("node-1"), List.of("apiserver"))) {
            main.kill(137);
            // Restarted while the node cannot reach the API server: its environment, the Services' variables
            // included, comes from what the kubelet already knew (kube's Service lister), not from a read that
            // would wait for the link. A container that is not running again refuses the next kill.
            await().atMost(WAIT).ignoreExceptionsInstanceOf(IllegalStateException.class).until(() -> {
                main.kill(137);
                return true;
            });
        }
    }
}
