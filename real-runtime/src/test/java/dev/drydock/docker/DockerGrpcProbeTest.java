package dev.drydock.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's grpc probe on Docker asks a real gRPC server in the pod (etcd, whose health service is grpc-go's)
 * over HTTP/2 at the pod's address, as kube's prober does; the cluster's calls share one thread, gone at close.
 */
class DockerGrpcProbeTest extends DockerTestSupport {

    @BeforeAll
    static void etcdImage() throws Exception {
        DockerTests.ensureEtcd(DockerTests.engine());
    }

    @Test
    void aGrpcReadinessProbeAsksTheServersHealthServiceAndFailsForAServiceItDoesNotKnow() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            client.create(Resource.PODS, "default", etcd("etcd", ""));
            client.create(Resource.PODS, "default", etcd("etcd-unknown", "no.such.Service"));
            ObjectNode http = pod("http", "mkdir -p /www && httpd -f -p 2379 -h /www"); // HTTP/1 only
            readiness(http, "");
            client.create(Resource.PODS, "default", http);

            eventually().until(() -> "True".equals(ready(client, "etcd")));
            eventually().untilAsserted(() -> assertThat(unhealthy(client, "etcd-unknown"))
                    .anyMatch(m -> m.contains("code = NotFound")));
            eventually().untilAsserted(() -> assertThat(unhealthy(client, "http"))
                    .anyMatch(m -> m.contains("failed to connect service")));
            assertThat(ready(client, "etcd-unknown")).isEqualTo("False");
            assertThat(ready(client, "http")).isEqualTo("False");
            assertThat(grpcThreads()).as("every call of the cluster's grpc probes on one thread").hasSize(1);
        }
        assertThat(DockerTests.leftovers(docker)).isEmpty();
        assertThat(grpcThreads()).isEmpty();
    }

    private static ObjectNode etcd(String name, String service) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        ObjectNode c = Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main")
                .put("image", DockerTests.ETCD);
        c.putArray("command").add("/bin/etcd").add("--data-dir=/tmp/etcd")
                .add("--listen-client-urls=http://0.0.0.0:2379").add("--advertise-client-urls=http://127.0.0.1:2379")
                .add("--listen-peer-urls=http://127.0.0.1:2380");
        readiness(p, service);
        return p;
    }

    private static void readiness(ObjectNode pod, String service) {
        ObjectNode c = (ObjectNode) pod.path("spec").path("containers").get(0);
        ObjectNode probe = c.putObject("readinessProbe").put("periodSeconds", 1).put("failureThreshold", 1);
        ObjectNode grpc = Json.with(probe, "grpc").put("port", 2379);
        if (!service.isEmpty()) {
            grpc.put("service", service);
        }
    }

    private static String ready(KubeClient client, String pod) {
        for (JsonNode c : client.get(Resource.PODS, "default", pod).path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    private static List<String> grpcThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("drydock-") && n.contains("-grpc-probe-")).toList();
    }

    /** The messages of the pod's Unhealthy events. */
    private static List<String> unhealthy(KubeClient client, String pod) {
        List<String> messages = new ArrayList<>();
        for (JsonNode e : client.list(Resource.EVENTS, "default", Map.of()).path("items")) {
            if (e.path("reason").asText().equals("Unhealthy")
                    && e.path("involvedObject").path("name").asText().equals(pod)) {
                messages.add(e.path("message").asText());
            }
        }
        return messages;
    }
}
