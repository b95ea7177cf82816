package dev.drydock.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's lifecycle on real containers: env and volumes from a ConfigMap, probes, graceful deletion (SIGTERM
 * heeded, or SIGKILL at the grace period) and a memory limit the kernel enforces.
 */
class DockerLifecycleTest extends DockerTestSupport {

    private static final Resource CONFIGMAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);



    @Test
    void envAndAVolumeFromAConfigMapReachTheContainer() throws Exception {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
            Json.with(cm, "metadata").put("name", "settings");
            Json.with(cm, "data").put("greeting", "hello from a ConfigMap").put("name", "drydock");
            client.create(CONFIGMAPS, "default", cm);
            ObjectNode pod = pod("reader", "echo \"$GREETING\"; cat /etc/config/name; echo; sleep 3600");
            ObjectNode c = (ObjectNode) pod.path("spec").path("containers").get(0);
            Json.with(c.putArray("env").addObject().put("name", "GREETING"), "valueFrom", "configMapKeyRef")
                    .put("name", "settings").put("key", "greeting");
            c.putArray("volumeMounts").addObject().put("name", "config").put("mountPath", "/etc/config");
            Json.with(((ObjectNode) pod.path("spec")).putArray("volumes").addObject().put("name", "config"),
                    "configMap").put("name", "settings");
            client.create(Resource.PODS, "default", pod);

            eventually().untilAsserted(() -> assertThat(log(cluster, "reader"))
                    .contains("hello from a ConfigMap").contains("drydock"));
        }
        assertThat(DockerTests.leftovers(docker)).isEmpty();
    }

    @Test
    void readinessFollowsAnHttpProbeAndAFailedLivenessProbeRestartsTheContainer() throws Exception {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            ObjectNode pod = pod("web", "mkdir -p /www && echo ok > /www/index.html && touch /tmp/alive && "
                    + "httpd -p 8080 -h /www && sleep 3600");
            ObjectNode c = (ObjectNode) pod.path("spec").path("containers").get(0);
            c.putArray("ports").addObject().put("containerPort", 8080);
            ObjectNode readiness = c.putObject("readinessProbe").put("periodSeconds", 1).put("failureThreshold", 1);
            Json.with(readiness, "httpGet").put("path", "/index.html").put("port", 8080);
            ObjectNode liveness = c.putObject("livenessProbe").put("periodSeconds", 1).put("failureThreshold", 2);
            Json.with(liveness, "exec").putArray("command").add("cat").add("/tmp/alive");
            client.create(Resource.PODS, "default", pod);
            eventually().until(() -> "True".equals(condition(client.get(Resource.PODS, "default", "web"), "Ready")));

            exec(cluster, client, "web", "rm", "/www/index.html"); // readiness fails: 404
            eventually().until(() -> "False".equals(condition(client.get(Resource.PODS, "default", "web"),
                    "Ready")));
            String ip = client.get(Resource.PODS, "default", "web").path("status").path("podIP").asText();
            exec(cluster, client, "web", "rm", "/tmp/alive"); // liveness fails: the container is restarted
            eventually().until(() -> client.get(Resource.PODS, "default", "web").path("status")
                    .path("containerStatuses").get(0).path("restartCount").asInt() >= 1);
            eventually().until(() -> "True".equals(condition(client.get(Resource.PODS, "default", "web"), "Ready")));
            assertThat(client.get(Resource.PODS, "default", "web").path("status").path("podIP").asText())
                    .as("the pod's address, kept by its sandbox").isEqualTo(ip);
        }
    }

    @Test
    void deletionSendsSigtermAndKillsAContainerThatIgnoresItAtTheGracePeriod() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            client.create(Resource.PODS, "default",
                    pod("polite", "trap 'echo got TERM; exit 0' TERM; while true; do sleep 0.2; done"));
            ObjectNode stubborn = pod("stubborn", "sleep 3600"); // PID 1 without a handler ignores SIGTERM
            ((ObjectNode) stubborn.path("spec")).put("terminationGracePeriodSeconds", 90); // 3 s compressed
            client.create(Resource.PODS, "default", stubborn);
            eventually().until(() -> running(client, "polite") && running(client, "stubborn"));
            String politeId = containerId(client, "polite");
            String stubbornId = containerId(client, "stubborn");

            client.delete(Resource.PODS, "default", "polite");
            client.delete(Resource.PODS, "default", "stubborn");

            eventually().until(() -> client.find(Resource.PODS, "default", "polite") == null);
            assertThat(client.find(Resource.PODS, "default", "stubborn")).as("waits for its grace period").isNotNull();
            eventually().until(() -> client.find(Resource.PODS, "default", "stubborn") == null);
            assertThat(politeId).isNotEqualTo(stubbornId);
        }
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            ObjectNode pod = pod("hungry", "head -c 268435456 /dev/zero | tail"); // tail holds it all: no newline
            ((ObjectNode) pod.path("spec")).put("restartPolicy", "Never");
            Json.with((ObjectNode) pod.path("spec").path("containers").get(0), "resources", "limits")
                    .put("memory", "32Mi");
            client.create(Resource.PODS, "default", pod);

            eventually().untilAsserted(() -> assertThat(client.get(Resource.PODS, "default", "hungry").path("status")
                    .path("containerStatuses").path(0).path("state").path("terminated").path("reason").asText())
                    .isEqualTo("OOMKilled"));
            assertThat(client.get(Resource.PODS, "default", "hungry").path("status").path("phase").asText())
                    .isEqualTo("Failed");
        }
    }

    private static void exec(DrydockCluster cluster, KubeClient client, String pod, String... command)
            throws Exception {
        String id = containerId(client, pod);
        String exec = docker.execCreateCmd(id).withCmd(command).exec().getId();
        docker.execStartCmd(exec).start().awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static boolean running(KubeClient client, String pod) {
        return "Running".equals(client.get(Resource.PODS, "default", pod).path("status").path("phase").asText());
    }

    private static String condition(JsonNode pod, String type) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c.path("status").asText();
            }
        }
        return null;
    }

}
