package dev.drydock.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pods as real containers: they run, log, exit with their codes, and nothing is left once the cluster closes. */
class DockerRuntimeTest extends DockerTestSupport {




    @Test
    void aPodRunsAsRealContainersAndLogsAndExitCodesAreTheContainers() throws Exception {
        java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
        String clusterName;
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(2))) {
            clusterName = cluster.name();
            KubeClient client = cluster.client();
            client.create(Resource.PODS, "default", pod("talker", "echo hello from docker; sleep 3600", null));
            client.create(Resource.PODS, "default", pod("quitter", "echo bye; exit 3", "Never"));

            eventually().until(() -> phase(client, "talker").equals("Running"));
            JsonNode talker = client.get(Resource.PODS, "default", "talker");
            assertThat(talker.path("status").path("podIP").asText()).isNotEmpty();
            eventually().untilAsserted(() -> assertThat(log(cluster, "talker"))
                    .contains("hello from docker"));
            String id = talker.path("status").path("containerStatuses").get(0).path("containerID").asText();
            assertThat(docker.inspectContainerCmd(id.substring(id.indexOf("://") + 3)).exec().getState()
                    .getRunning()).isTrue();

            eventually().until(() -> phase(client, "quitter").equals("Failed"));
            JsonNode terminated = client.get(Resource.PODS, "default", "quitter").path("status")
                    .path("containerStatuses").get(0).path("state").path("terminated");
            assertThat(terminated.path("exitCode").asInt()).isEqualTo(3);
            assertThat(terminated.path("reason").asText()).isEqualTo("Error");
            assertThat(DockerTests.leftovers(docker)).isNotEmpty();
        }
        assertThat(DockerTests.leftovers(docker)).isEmpty();
        // every thread the cluster and its engine streams started is gone
        eventually().untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .filter(t -> !t.getName().startsWith("ForkJoinPool") && !t.getName().startsWith("HttpClient")
                        && !t.getName().startsWith("awaitility"))
                .map(Thread::getName)).isEmpty());
    }

    @Test
    void theContainersOfAPodShareItsNetworkNamespaceAndAddress() throws Exception {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            ObjectNode pod = pod("pair", "mkdir -p /www && echo from-the-other-container > /www/index.html && "
                    + "httpd -f -p 8080 -h /www", null);
            ObjectNode second = Json.withArray(Json.with(pod, "spec"), "containers").addObject()
                    .put("name", "fetcher").put("image", DockerTests.BUSYBOX);
            second.putArray("command").add("sh").add("-c")
                    .add("while true; do timeout 2 wget -q -O - http://127.0.0.1:8080/ && hostname; sleep 1; done");
            client.create(Resource.PODS, "default", pod);

            eventually().untilAsserted(() -> assertThat(log(cluster, "pair", "fetcher"))
                    .contains("from-the-other-container").contains("pair"));
            // the pod's address is its sandbox's, on the engine's default bridge
            eventually().untilAsserted(() -> assertThat(client.get(Resource.PODS, "default", "pair").path("status")
                    .path("podIP").asText()).isEqualTo(sandboxIp(containerId(client, "pair"))));
        }
    }

    @Test
    void aPodKeepsItsAddressAndHostNameWhenItsContainerRestarts() throws Exception {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            client.create(Resource.PODS, "default", pod("server", "mkdir -p /www && echo pong > /www/index.html && "
                    + "httpd -f -p 8080 -h /www", null)); // restartPolicy Always
            client.create(Resource.PODS, "default", pod("client", "sleep 3600", null));
            eventually().until(() -> phase(client, "server").equals("Running")
                    && phase(client, "client").equals("Running"));
            String ip = client.get(Resource.PODS, "default", "server").path("status").path("podIP").asText();
            String first = containerId(client, "server");
            eventually().untilAsserted(() -> assertThat(fetch("client", client, "http://" + ip + ":8080/"))
                    .isEqualTo("pong"));
            assertThat(fetch("server", client, "")).as("its host name").isEqualTo("server");

            docker.killContainerCmd(first).withSignal("KILL").exec(); // it dies; the kubelet starts a new one

            eventually().until(() -> client.get(Resource.PODS, "default", "server").path("status")
                    .path("containerStatuses").get(0).path("restartCount").asInt() >= 1
                    && phase(client, "server").equals("Running") && !containerId(client, "server").equals(first));
            assertThat(client.get(Resource.PODS, "default", "server").path("status").path("podIP").asText())
                    .isEqualTo(ip).isEqualTo(sandboxIp(containerId(client, "server")));
            eventually().untilAsserted(() -> assertThat(fetch("client", client, "http://" + ip + ":8080/"))
                    .isEqualTo("pong"));
            assertThat(fetch("server", client, "")).as("its host name").isEqualTo("server");
        }
        assertThat(DockerTests.leftovers(docker)).isEmpty();
    }

    @Test
    void withNoWarmSandboxesEachPodGetsOneStartedForItAndABadSettingIsRefused() {
        String before = System.getProperty(DockerRuntime.WARM_SANDBOXES);
        try {
            System.setProperty(DockerRuntime.WARM_SANDBOXES, "some");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DrydockCluster.start(ClusterSpec.create()
                    .runtime("docker").nodes(1))).hasStackTraceContaining(DockerRuntime.WARM_SANDBOXES)
                    .hasStackTraceContaining("got some");

            System.setProperty(DockerRuntime.WARM_SANDBOXES, "0");
            try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
                KubeClient client = cluster.client();
                client.create(Resource.PODS, "default", pod("alone", "sleep 3600", null));
                eventually().until(() -> phase(client, "alone").equals("Running"));
                assertThat(client.get(Resource.PODS, "default", "alone").path("status").path("podIP").asText())
                        .isEqualTo(sandboxIp(containerId(client, "alone")));
                assertThat(docker.listContainersCmd().withShowAll(true)
                        .withLabelFilter(Map.of(Labels.CLUSTER, cluster.name())).exec())
                        .as("no warm sandbox: every container is a pod's")
                        .allMatch(c -> c.getLabels().containsKey(Labels.POD));
            }
        } finally {
            if (before == null) {
                System.clearProperty(DockerRuntime.WARM_SANDBOXES);
            } else {
                System.setProperty(DockerRuntime.WARM_SANDBOXES, before);
            }
        }
        assertThat(DockerTests.leftovers(docker)).isEmpty();
    }

    /** The address on the default bridge of the sandbox whose network namespace the container joined. */
    private static String sandboxIp(String containerId) {
        String mode = docker.inspectContainerCmd(containerId).exec().getHostConfig().getNetworkMode();
        assertThat(mode).startsWith("container:");
        return docker.inspectContainerCmd(mode.substring("container:".length())).exec().getNetworkSettings()
                .getNetworks().get("bridge").getIpAddress();
    }

    /** What {@code wget} of {@code url} prints in the pod's container, or its host name if {@code url} is empty. */
    private static String fetch(String pod, KubeClient client, String url) throws Exception {
        String exec = docker.execCreateCmd(containerId(client, pod)).withAttachStdout(true).withAttachStderr(true)
                .withCmd("sh", "-c", url.isEmpty() ? "hostname" : "timeout 2 wget -q -O - " + url).exec().getId();
        StringBuilder out = new StringBuilder();
        docker.execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                com.github.dockerjava.api.model.Frame>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame frame) {
                synchronized (out) {
                    out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }).awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
        synchronized (out) {
            return out.toString().trim();
        }
    }

    private static ObjectNode pod(String name, String script, String restartPolicy) {
        ObjectNode p = pod(name, script);
        if (restartPolicy != null) {
            ((ObjectNode) p.path("spec")).put("restartPolicy", restartPolicy);
        }
        return p;
    }

    private static String phase(KubeClient client, String name) {
        ObjectNode p = client.find(Resource.PODS, "default", name);
        return p == null ? "" : p.path("status").path("phase").asText();
    }
}
